/**
 * @module endpoints/mfa/challenge
 *
 * `POST /mfa/challenge` (`mfa_token`, `client_id` + client authentication, optional
 * `challenge_type` — space-separated `otp` / `oob` — and `authenticator_id`): picks one of the
 * user's active authenticators. For `otp` the app already shows the code; for email a new
 * 6-digit code is sent and an `oob_code` returned.
 */
import { resolveEndUserIp } from '../../attack-protection/end-user-ip.js';
import { refuseBlockedUserFrom } from '../../attack-protection/login-guard.js';
import { authenticateClient } from '../../client-auth/authenticate-client.js';
import { OAuthError } from '../../errors/oauth-error.js';
import type { TokenRequest } from '../../grants/grant-handler.js';
import { activeAuthenticators } from '../../mfa/authenticators.js';
import { sendEmailCode } from '../../mfa/email-codes.js';
import { redeemMfaToken } from '../../mfa/mfa-token.js';
import { factorEnabled } from '../../mfa/policy.js';
import type { Provider } from '../../provider/provider.js';
import { sha256 } from '../../shared/crypto.js';
import { optionalParam, requireParam } from '../../shared/params.js';
import type { MfaAuthenticator } from '../../storage/models.js';

const CHALLENGE_TYPE = { otp: 'otp', email: 'oob' } as const;

/** The accepted challenge types; absent means all. */
function acceptedTypes(request: TokenRequest): Set<string> {
  const value = optionalParam(request.params, 'challenge_type');
  if (value === undefined) return new Set(['otp', 'oob']);
  return new Set(value.split(' ').filter((t) => t !== ''));
}

function pick(
  candidates: readonly MfaAuthenticator[],
  request: TokenRequest,
): MfaAuthenticator | undefined {
  const types = acceptedTypes(request);
  const id = optionalParam(request.params, 'authenticator_id');
  return candidates.find(
    (a) =>
      (a.type === 'otp' || a.type === 'email') &&
      types.has(CHALLENGE_TYPE[a.type]) &&
      (id === undefined || a.id === id),
  );
}

export async function challenge(
  provider: Provider,
  request: TokenRequest,
): Promise<Record<string, string>> {
  const client = await authenticateClient(provider, request);
  const mfaToken = requireParam(request.params, 'mfa_token');
  const { user } = await redeemMfaToken(provider, mfaToken, {
    clientId: client.client_id,
    checkKey: false,
  });
  await refuseBlockedUserFrom(provider, user, resolveEndUserIp(request, client));
  const settings = await provider.storage.guardian.get();
  const usable = (await activeAuthenticators(provider, user.user_id)).filter(
    (a) => a.type !== 'recovery-code' && factorEnabled(settings, a.type),
  );
  if (usable.length === 0) throw new OAuthError('association_required');
  const chosen = pick(usable, request);
  if (!chosen) throw new OAuthError('unsupported_challenge_type');
  if (chosen.type === 'otp') return { challenge_type: 'otp' };
  const oobCode = await sendEmailCode(provider, sha256(mfaToken), chosen);
  return { challenge_type: 'oob', oob_code: oobCode, binding_method: 'prompt' };
}

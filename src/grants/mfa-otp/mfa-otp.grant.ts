/**
 * @module grants/mfa-otp/mfa-otp.grant
 *
 * `grant_type=http://auth0.com/oauth/grant-type/mfa-otp` (`mfa_token`, `otp`): completes a
 * password login with a TOTP code of the user's authenticator app (±1 step, each step once).
 * The first good code of a new enrolment activates it. Wrong codes spend the user's budget.
 */
import { OAuthError } from '../../errors/oauth-error.js';
import { withinAttemptBudget } from '../../mfa/attempts.js';
import { open } from '../../mfa/sealed-secret.js';
import { claimTotpStep, matchTotp } from '../../mfa/totp.js';
import { requireParam } from '../../shared/params.js';
import type { MfaAuthenticator } from '../../storage/models.js';
import type { GrantContext, GrantHandler } from '../grant-handler.js';
import {
  authenticatorsOf,
  completeMfa,
  type MfaVerified,
  startMfaAttempt,
} from '../shared/mfa-grant.js';

export const MFA_OTP_GRANT = 'http://auth0.com/oauth/grant-type/mfa-otp';

/** The authenticator whose unused step `code` matches, or null. */
async function matchingAuthenticator(
  ctx: GrantContext,
  candidates: readonly MfaAuthenticator[],
  code: string,
): Promise<MfaAuthenticator | null> {
  const { provider } = ctx;
  for (const authenticator of candidates) {
    if (authenticator.otp_secret_sealed === null) continue;
    const secret = open(authenticator.otp_secret_sealed, provider.secrets.encryptionKey);
    const step = matchTotp(provider, secret, code);
    if (step !== null && (await claimTotpStep(provider, authenticator.id, step)))
      return authenticator;
  }
  return null;
}

async function validate(ctx: GrantContext): Promise<MfaVerified> {
  const code = requireParam(ctx.request.params, 'otp');
  const attempt = await startMfaAttempt(ctx, 'otp', 'seotpft');
  const candidates = await authenticatorsOf(ctx, attempt.user, 'otp');
  const matched = await withinAttemptBudget(ctx.provider, attempt.user.user_id, () =>
    matchingAuthenticator(ctx, candidates, code),
  );
  if (matched === null) throw new OAuthError('invalid_otp');
  return { ...attempt, authenticator: matched };
}

export const mfaOtpGrant: GrantHandler<MfaVerified> = {
  grantType: MFA_OTP_GRANT,
  parameters: ['mfa_token', 'otp'],
  failureEvent: 'feotpft',
  validate,
  issue: completeMfa,
};

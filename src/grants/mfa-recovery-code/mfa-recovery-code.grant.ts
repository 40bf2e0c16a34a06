/**
 * @module grants/mfa-recovery-code/mfa-recovery-code.grant
 *
 * `grant_type=http://auth0.com/oauth/grant-type/mfa-recovery-code` (`mfa_token`,
 * `recovery_code`): completes a password login with the user's recovery code, which is
 * consumed; the response carries the new `recovery_code` next to the tokens. Wrong codes
 * spend the user's budget.
 */
import { OAuthError } from '../../errors/oauth-error.js';
import { withinAttemptBudget } from '../../mfa/attempts.js';
import { recoveryCodeMatches, rotateRecoveryCode } from '../../mfa/recovery-codes.js';
import { requireParam } from '../../shared/params.js';
import type { GrantContext, GrantHandler, TokenResponse } from '../grant-handler.js';
import {
  authenticatorsOf,
  completeMfa,
  type MfaVerified,
  startMfaAttempt,
} from '../shared/mfa-grant.js';

export const MFA_RECOVERY_CODE_GRANT = 'http://auth0.com/oauth/grant-type/mfa-recovery-code';

async function validate(ctx: GrantContext): Promise<MfaVerified> {
  const code = requireParam(ctx.request.params, 'recovery_code');
  const attempt = await startMfaAttempt(ctx, 'recovery-code', 'sercft');
  const [authenticator] = (await authenticatorsOf(ctx, attempt.user, 'recovery-code')).filter(
    (a) => a.active,
  );
  const matched = await withinAttemptBudget(ctx.provider, attempt.user.user_id, async () =>
    authenticator && recoveryCodeMatches(authenticator, code) ? authenticator : null,
  );
  if (matched === null) throw new OAuthError('invalid_recovery_code');
  return { ...attempt, authenticator: matched };
}

async function issue(
  ctx: GrantContext,
  verified: MfaVerified,
): Promise<TokenResponse & { recovery_code: string }> {
  const rotated = { code: '' };
  const response = await completeMfa(ctx, verified, async () => {
    const next = await rotateRecoveryCode(ctx.provider.storage, verified.authenticator);
    if (next === null)
      throw new OAuthError('invalid_recovery_code', { detail: 'recovery code used concurrently' });
    rotated.code = next;
  });
  return { ...response, recovery_code: rotated.code };
}

export const mfaRecoveryCodeGrant: GrantHandler<MfaVerified> = {
  grantType: MFA_RECOVERY_CODE_GRANT,
  parameters: ['mfa_token', 'recovery_code'],
  failureEvent: 'fercft',
  validate,
  issue,
};

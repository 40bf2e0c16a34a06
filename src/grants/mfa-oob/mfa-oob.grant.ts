/**
 * @module grants/mfa-oob/mfa-oob.grant
 *
 * `grant_type=http://auth0.com/oauth/grant-type/mfa-oob` (`mfa_token`, `oob_code`,
 * `binding_code`): completes a password login with the 6-digit code emailed by
 * `/mfa/associate` or `/mfa/challenge`. The `oob_code` must belong to the same `mfa_token`;
 * an emailed code is valid 5 minutes and used once. Wrong codes spend the user's budget.
 */
import { OAuthError } from '../../errors/oauth-error.js';
import { withinAttemptBudget } from '../../mfa/attempts.js';
import { epochSeconds } from '../../shared/clock.js';
import { constantTimeEqual } from '../../shared/crypto.js';
import type { GrantContext, GrantHandler } from '../grant-handler.js';
import { completeMfa, hashParam, type MfaVerified, startMfaAttempt } from '../shared/mfa-grant.js';

export const MFA_OOB_GRANT = 'http://auth0.com/oauth/grant-type/mfa-oob';

async function validate(ctx: GrantContext): Promise<MfaVerified> {
  const { storage, clock } = ctx.provider;
  const oobHash = hashParam(ctx, 'oob_code');
  const bindingHash = hashParam(ctx, 'binding_code');
  const attempt = await startMfaAttempt(ctx, 'email', 'seoobft');
  const challenge = await storage.oobChallenges.get(oobHash);
  if (!challenge || challenge.consumed || challenge.mfa_token_hash !== attempt.tokenHash)
    throw new OAuthError('invalid_oob_code');
  if (challenge.expires_at <= epochSeconds(clock)) throw new OAuthError('oob_code_expired');
  const authenticator = await storage.authenticators.get(challenge.authenticator_id);
  if (!authenticator || authenticator.user_id !== attempt.user.user_id)
    throw new OAuthError('invalid_oob_code', { detail: 'authenticator removed' });
  const right = await withinAttemptBudget(ctx.provider, attempt.user.user_id, async () =>
    constantTimeEqual(bindingHash, challenge.binding_code_hash) ? true : null,
  );
  if (right === null) throw new OAuthError('invalid_binding_code');
  if (!(await storage.oobChallenges.consume(oobHash)))
    throw new OAuthError('invalid_oob_code', { detail: 'oob_code used concurrently' });
  return { ...attempt, authenticator };
}

export const mfaOobGrant: GrantHandler<MfaVerified> = {
  grantType: MFA_OOB_GRANT,
  parameters: ['mfa_token', 'oob_code', 'binding_code'],
  failureEvent: 'feoobft',
  validate,
  issue: completeMfa,
};

/**
 * @module mfa/attempts
 *
 * The per-user budget of wrong MFA codes (OTP, emailed code, recovery code), as Auth0 sets
 * it: a bucket of 10 that refills one every 6 minutes, persisted, separate from password
 * failures (MF-3, MF-6). An attempt is taken before the code is checked and given back when
 * the code was right, so concurrent guesses can never overdraw the bucket.
 */
import { OAuthError } from '../errors/oauth-error.js';
import { audit } from '../events/audit.js';
import type { Provider } from '../provider/provider.js';
import { epochSeconds } from '../shared/clock.js';

export const MFA_ATTEMPTS = 10;
export const MFA_REFILL_S = 360;

const keyOf = (userId: string) => `mfa:${userId}`;

/**
 * Runs `check` within the user's budget: an empty bucket is a 429 `too_many_attempts` with
 * `Retry-After`; a wrong code (`check` gives null) spends one attempt, a right one (any other
 * value, which is returned) does not.
 */
export async function withinAttemptBudget<T>(
  provider: Provider,
  userId: string,
  check: () => Promise<T | null>,
): Promise<T | null> {
  const { mfaAttempts } = provider.storage;
  const now = epochSeconds(provider.clock);
  if (!(await mfaAttempts.take(keyOf(userId), MFA_ATTEMPTS, MFA_REFILL_S, now))) {
    const wait = await mfaAttempts.retryAfter(keyOf(userId), MFA_ATTEMPTS, MFA_REFILL_S, now);
    audit(provider, {
      type: 'gd_otp_rate_limit_exceed',
      description: 'Too many failed MFA attempts',
      user_id: userId,
    });
    throw new OAuthError('mfa_too_many_attempts', {
      headers: { 'Retry-After': String(Math.max(1, wait)) },
    });
  }
  const result = await check();
  if (result !== null) await mfaAttempts.refund(keyOf(userId));
  return result;
}

/** Refills the user's bucket (admin reset). */
export function resetAttempts(provider: Pick<Provider, 'storage'>, userId: string): Promise<void> {
  return provider.storage.mfaAttempts.reset(keyOf(userId));
}

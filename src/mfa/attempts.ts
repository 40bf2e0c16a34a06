/**
 * @module mfa/attempts
 *
 * The per-user budget of wrong MFA codes (OTP, emailed code, recovery code), as Auth0 sets
 * it: a bucket of 10 that refills one every 6 minutes, persisted, separate from password
 * failures (MF-3, MF-6). It is a bucket of the shared `rateBuckets` store (GCRA, epoch ms),
 * keyed `mfa:<user_id>`. An attempt is taken before the code is checked and given back when
 * the code was right, so concurrent guesses can never overdraw the bucket.
 */
import { OAuthError } from '../errors/oauth-error.js';
import { audit } from '../events/audit.js';
import type { Provider } from '../provider/provider.js';

export const MFA_ATTEMPTS = 10;
export const MFA_REFILL_S = 360;
const REFILL_MS = MFA_REFILL_S * 1000;

/** The user's bucket in `storage.rateBuckets`. */
export const attemptBucketKey = (userId: string) => `mfa:${userId}`;

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
  const { rateBuckets } = provider.storage;
  const key = attemptBucketKey(userId);
  const now = provider.clock.now();
  const bucket = await rateBuckets.take(key, MFA_ATTEMPTS, REFILL_MS, now);
  if (!bucket.allowed) {
    const wait = Math.ceil((bucket.nextAt - now) / 1000);
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
  if (result !== null) await rateBuckets.giveBack(key, REFILL_MS, provider.clock.now());
  return result;
}

/** Refills the user's bucket (admin reset). */
export function resetAttempts(provider: Pick<Provider, 'storage'>, userId: string): Promise<void> {
  return provider.storage.rateBuckets.reset(attemptBucketKey(userId));
}

/**
 * @module mfa/totp
 *
 * RFC 6238 TOTP with the `otpauth` library: SHA-1, 6 digits, 30-second steps, as authenticator
 * apps expect. A code is accepted for the current step and one step either side; each step of
 * an authenticator is accepted once only (the replay store remembers it until it can no
 * longer match).
 */
import { Secret, TOTP } from 'otpauth';
import type { Provider } from '../provider/provider.js';
import { epochSeconds } from '../shared/clock.js';

export const TOTP_PERIOD_S = 30;
const DIGITS = 6;
/** Steps accepted either side of the current one. */
const WINDOW = 1;

/** A new random 160-bit secret, base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/…` URI an authenticator app scans. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return new TOTP({
    issuer,
    label: account,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: TOTP_PERIOD_S,
  }).toString();
}

/**
 * The step a 6-digit `code` matches for `secret` at the provider's time (±1 step), or null.
 * Does not check reuse: see {@link claimTotpStep}.
 */
export function matchTotp(provider: Provider, secret: string, code: string): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = new TOTP({
    secret: Secret.fromBase32(secret),
    digits: DIGITS,
    period: TOTP_PERIOD_S,
  });
  const timestamp = provider.clock.now();
  const delta = totp.validate({ token: code, timestamp, window: WINDOW });
  if (delta === null) return null;
  return Math.floor(timestamp / 1000 / TOTP_PERIOD_S) + delta;
}

/** Records that `step` of `authenticatorId` was used; false when it already was. */
export function claimTotpStep(
  provider: Provider,
  authenticatorId: string,
  step: number,
): Promise<boolean> {
  // After (step + 1 + WINDOW) periods the step can no longer match, so it may be forgotten.
  const expiresAt = (step + 2 + WINDOW) * TOTP_PERIOD_S;
  return provider.storage.replay.claim(
    `totp:${authenticatorId}:${step}`,
    expiresAt,
    epochSeconds(provider.clock),
  );
}

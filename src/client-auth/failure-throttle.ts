/**
 * @module client-auth/failure-throttle
 *
 * Client-credential guessing is throttled (RFC 6749 §2.3.1, AU-16): failed client
 * authentications are counted per `client_id` and caller address, in a token bucket of
 * {@link CLIENT_AUTH_BURST} attempts that refills one every {@link CLIENT_AUTH_REFILL_MS}. An
 * empty bucket answers 429 before any secret or assertion is looked at, so a throttled caller
 * learns nothing from its guesses; a success empties the count. The same client from another
 * address is not affected, so wrong secrets cannot lock a client out.
 *
 * The counts live in memory (bounded, oldest dropped first): a verified secret is cheap to
 * check again (ADR 0003), which is what makes guessing fast, and a restart only gives a guesser
 * one more burst. Each server process counts on its own.
 */
import { rateLimited } from '../attack-protection/rejections.js';

/** Failed authentications a caller may make for one client before it is throttled. */
export const CLIENT_AUTH_BURST = 10;
/** One more attempt every minute after that (at most 1,440 guesses a day per address). */
export const CLIENT_AUTH_REFILL_MS = 60_000;

interface Bucket {
  /** Attempts left at `at`. */
  tokens: number;
  at: number;
}

export class ClientAuthThrottle {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly burst = CLIENT_AUTH_BURST,
    readonly refillMs = CLIENT_AUTH_REFILL_MS,
    readonly maxEntries = 10_000,
  ) {}

  /** Throws 429 `too_many_attempts` when `clientId` from `ip` has no attempt left at `now`. */
  check(clientId: string, ip: string, now: number): void {
    const bucket = this.#refilled(keyOf(clientId, ip), now);
    if (bucket && bucket.tokens < 1) {
      const nextAt = bucket.at + this.refillMs * (1 - bucket.tokens);
      throw rateLimited('client_auth_throttled', this.burst, nextAt, now);
    }
  }

  /** Counts one failed authentication. */
  failed(clientId: string, ip: string, now: number): void {
    const key = keyOf(clientId, ip);
    const bucket = this.#refilled(key, now) ?? { tokens: this.burst, at: now };
    this.#buckets.delete(key); // re-inserted last: the map drops its oldest entries first
    if (this.#buckets.size >= this.maxEntries) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    this.#buckets.set(key, { tokens: Math.max(0, bucket.tokens - 1), at: now });
  }

  /** A caller that knows the credential is not guessing: its count starts again. */
  succeeded(clientId: string, ip: string): void {
    this.#buckets.delete(keyOf(clientId, ip));
  }

  /** The bucket at `now`, refilled; undefined when full (nothing counted, or all refilled). */
  #refilled(key: string, now: number): Bucket | undefined {
    const bucket = this.#buckets.get(key);
    if (!bucket) return undefined;
    const tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) / this.refillMs);
    if (tokens >= this.burst) {
      this.#buckets.delete(key);
      return undefined;
    }
    return { tokens, at: now };
  }
}

function keyOf(clientId: string, ip: string): string {
  return `${ip}\n${clientId}`;
}

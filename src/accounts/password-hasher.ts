/**
 * @module accounts/password-hasher
 *
 * Password hashing: argon2id with OWASP parameters for everything new, bcrypt verification for
 * hashes imported from an Auth0 export (rehashed to argon2id after the first good login). All
 * work runs on the libuv threadpool through native bindings, scheduled by a bounded, fair
 * {@link HashScheduler}: a verification refused by a full queue becomes 503
 * `temporarily_unavailable` with `Retry-After`, before any hash work is spent on it.
 */
import { randomBytes } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { compare as bcryptCompare, hash as bcryptHash } from '@node-rs/bcrypt';
import { OAuthError } from '../errors/oauth-error.js';
import { parseHashProfile } from './hash-profile.js';
import {
  type HashPoolOptions,
  HashQueueFullError,
  type HashReservation,
  HashScheduler,
} from './hash-scheduler.js';

/** Who a verification is for: a source name, or a place reserved for it. */
export type HashSource = string | HashReservation;

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const ARGON2_PARAMS = {
  algorithm: 2, // Argon2id; @node-rs/argon2's `Algorithm` is a const enum, erased at runtime.
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Longest password we hash, in UTF-8 bytes. Longer inputs are never hashed (AU-12); they cost
 * a dummy verification and fail like a wrong password.
 */
export const MAX_PASSWORD_BYTES = 1024;

/**
 * bcrypt reads only the first 72 bytes of its input, so any two passwords that share them
 * verify alike (AU-12). A longer password never verifies against a bcrypt hash; it still costs
 * the bcrypt work, like a wrong one. (Auth0's password-length settings stop at 72 bytes.)
 */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;

/**
 * Stands in for a password over {@link MAX_PASSWORD_BYTES}: it is checked against the user's own
 * hash instead, so it costs what that user's wrong password costs, and never verifies.
 */
const OVERSIZED_STAND_IN = 'latchkey-oversized-password';

/** The native verifications (a test may count them). */
export interface HashNatives {
  argon2Verify(storedHash: string, password: string): Promise<boolean>;
  bcryptCompare(password: string, storedHash: string): Promise<boolean>;
}

const NATIVES: HashNatives = {
  argon2Verify: (storedHash, password) => argon2Verify(storedHash, password),
  bcryptCompare: (password, storedHash) => bcryptCompare(password, storedHash),
};

export interface PasswordHasher {
  /** argon2id PHC string of `password`. */
  hash(password: string): Promise<string>;
  /**
   * A hash of a random secret with the cost profile `profile` (`accounts/hash-profile`): what a
   * login with no user to check against verifies instead, at the cost of one of the
   * connection's users (`accounts/decoy-hashes`).
   */
  decoy(profile: string): Promise<string>;
  /**
   * Verifies `password` against `storedHash` (argon2id or bcrypt). With `storedHash` null it
   * spends the same work on a dummy argon2id hash, and a password over
   * {@link MAX_PASSWORD_BYTES} is checked as a stand-in against `storedHash` itself; both
   * return false, so callers need no separate timing-safe path. `source` names who asked (the
   * end-user IP), or is a place reserved on {@link scheduler}, so hash work can be scheduled fairly
   * between sources. Rejects with {@link OAuthError} `temporarily_unavailable` when the hash
   * queue is full (never with an unused reservation).
   */
  verify(password: string, storedHash: string | null, source?: HashSource): Promise<boolean>;
  /** True when `storedHash` is not argon2id with at least {@link ARGON2_PARAMS}. */
  needsRehash(storedHash: string): boolean;
  /**
   * The pool that schedules the verifications, when there is one: callers ask it for room or
   * reserve a place before doing other work for a request, and the overload governor tunes it
   * (absent: always room, nothing to reserve or tune).
   */
  readonly scheduler?: HashScheduler;
}

/** @node-rs/argon2's `Algorithm` (a const enum, erased at runtime). */
const ARGON2_ALGORITHMS = { argon2d: 0, argon2i: 1, argon2id: 2 } as const;

/** Detects the hash family from its prefix. */
export function hashFamily(storedHash: string): 'argon2' | 'bcrypt' | 'unknown' {
  if (storedHash.startsWith('$argon2')) return 'argon2';
  if (/^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/.test(storedHash)) return 'bcrypt';
  return 'unknown';
}

function argon2Params(storedHash: string): { m: number; t: number; p: number } | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash);
  if (!match) return null;
  return { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) };
}

/** Source of verifications whose caller named none. */
export const UNKNOWN_SOURCE = 'unknown';

/** Retry-After (seconds) of a verification refused by a full hash queue. */
export const HASH_RETRY_AFTER_S = 1;

/**
 * Runs one verification job on `scheduler` for `source`; a full queue becomes the 503
 * `temporarily_unavailable` the client sees. Shared by every {@link PasswordHasher}.
 */
export function scheduleVerification<T>(
  scheduler: HashScheduler,
  source: HashSource | undefined,
  job: () => Promise<T>,
): Promise<T> {
  return scheduler.run(source ?? UNKNOWN_SOURCE, job).catch((err: unknown) => {
    if (!(err instanceof HashQueueFullError)) throw err;
    throw hashQueueFull();
  });
}

/** The 503 `temporarily_unavailable` of a full hash queue. */
export function hashQueueFull(): OAuthError {
  return new OAuthError('temporarily_unavailable', {
    detail: 'hash queue full',
    headers: { 'Retry-After': String(HASH_RETRY_AFTER_S) },
  });
}

export class Argon2PasswordHasher implements PasswordHasher {
  readonly scheduler: HashScheduler;
  readonly #natives: HashNatives;
  #dummy: Promise<string> | undefined;

  /**
   * @param pool hash pool size and queue bounds (defaults: {@link DEFAULT_HASH_POOL}).
   * @param natives the verifications themselves (a test may wrap them to count).
   */
  constructor(pool: Partial<HashPoolOptions> = {}, natives: HashNatives = NATIVES) {
    this.scheduler = new HashScheduler(pool);
    this.#natives = natives;
  }

  hash(password: string): Promise<string> {
    return this.scheduler.runInternal(() => argon2Hash(password, ARGON2_PARAMS));
  }

  decoy(profile: string): Promise<string> {
    const parsed = parseHashProfile(profile);
    if (parsed === null) return Promise.reject(new Error('not a hash profile'));
    const secret = randomBytes(32).toString('base64url');
    if (parsed.family === 'bcrypt') {
      return this.scheduler.runInternal(() => bcryptHash(secret, parsed.cost));
    }
    const options = {
      algorithm: ARGON2_ALGORITHMS[parsed.variant],
      version: parsed.version === 16 ? 0 : 1, // @node-rs/argon2's Version: V0x10, V0x13
      memoryCost: parsed.m,
      timeCost: parsed.t,
      parallelism: parsed.p,
    };
    return this.scheduler.runInternal(() => argon2Hash(secret, options));
  }

  async verify(password: string, storedHash: string | null, source?: HashSource): Promise<boolean> {
    const family = storedHash ? hashFamily(storedHash) : 'unknown';
    if (storedHash === null || family === 'unknown') {
      const dummy = await this.#dummyHash();
      await scheduleVerification(this.scheduler, source, () =>
        this.#natives.argon2Verify(dummy, 'latchkey-dummy-password'),
      );
      return false;
    }
    const bytes = Buffer.byteLength(password, 'utf8');
    const tooLong = bytes > MAX_PASSWORD_BYTES;
    const candidate = tooLong ? OVERSIZED_STAND_IN : password;
    const matches = await scheduleVerification(this.scheduler, source, () =>
      family === 'bcrypt'
        ? this.#natives.bcryptCompare(candidate, storedHash)
        : this.#natives.argon2Verify(storedHash, candidate).catch(() => false),
    );
    const fits = family === 'argon2' || bytes <= BCRYPT_MAX_PASSWORD_BYTES;
    return matches && fits && !tooLong;
  }

  needsRehash(storedHash: string): boolean {
    const params = argon2Params(storedHash);
    if (!params) return true;
    return (
      params.m < ARGON2_PARAMS.memoryCost ||
      params.t < ARGON2_PARAMS.timeCost ||
      params.p < ARGON2_PARAMS.parallelism
    );
  }

  /** A hash of a random secret with the production parameters, made once. */
  #dummyHash(): Promise<string> {
    this.#dummy ??= argon2Hash(randomBytes(32).toString('base64url'), ARGON2_PARAMS);
    return this.#dummy;
  }
}

/**
 * @module accounts/password-hasher
 *
 * Password hashing: argon2id with OWASP parameters for everything new, bcrypt verification for
 * hashes imported from an Auth0 export (rehashed to argon2id after the first good login). All
 * work runs on the libuv threadpool through native bindings and is bounded by a
 * {@link HashLimiter}, so hash jobs never starve signing, file or DNS work that shares the pool.
 */
import { randomBytes } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { compare as bcryptCompare } from '@node-rs/bcrypt';
import { Semaphore } from '../shared/semaphore.js';

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

export interface PasswordHasher {
  /** argon2id PHC string of `password`. */
  hash(password: string): Promise<string>;
  /**
   * Verifies `password` against `storedHash` (argon2id or bcrypt). With `storedHash` null, or a
   * password over {@link MAX_PASSWORD_BYTES}, it spends the same work on a dummy hash and
   * returns false, so callers need no separate timing-safe path. `source` names who asked (the
   * end-user IP) so hash work can be scheduled fairly between sources.
   */
  verify(password: string, storedHash: string | null, source?: string): Promise<boolean>;
  /** True when `storedHash` is not argon2id with at least {@link ARGON2_PARAMS}. */
  needsRehash(storedHash: string): boolean;
}

/** Detects the hash family from its prefix. */
export function hashFamily(storedHash: string): 'argon2' | 'bcrypt' | 'unknown' {
  if (storedHash.startsWith('$argon2')) return 'argon2';
  if (/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(storedHash)) return 'bcrypt';
  return 'unknown';
}

function argon2Params(storedHash: string): { m: number; t: number; p: number } | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(storedHash);
  if (!match) return null;
  return { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) };
}

export class Argon2PasswordHasher implements PasswordHasher {
  readonly #limiter: Semaphore;
  #dummy: Promise<string> | undefined;

  /** @param concurrency how many hash jobs may run at once (defaults to 2). */
  constructor(concurrency = 2) {
    this.#limiter = new Semaphore(concurrency);
  }

  hash(password: string): Promise<string> {
    return this.#limiter.run(() => argon2Hash(password, ARGON2_PARAMS));
  }

  async verify(password: string, storedHash: string | null, _source?: string): Promise<boolean> {
    const tooLong = Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES;
    const family = storedHash ? hashFamily(storedHash) : 'unknown';
    if (tooLong || storedHash === null || family === 'unknown') {
      const dummy = await this.#dummyHash();
      await this.#limiter.run(() => argon2Verify(dummy, 'latchkey-dummy-password'));
      return false;
    }
    if (family === 'bcrypt') {
      return this.#limiter.run(() => bcryptCompare(password, storedHash));
    }
    return this.#limiter.run(() => argon2Verify(storedHash, password).catch(() => false));
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

/**
 * A real argon2id hasher that counts what it is asked to do, to prove which requests cost hash
 * work and which do not.
 */
import type { HashPoolOptions } from '../../src/accounts/hash-scheduler.js';
import { Argon2PasswordHasher, type PasswordHasher } from '../../src/accounts/password-hasher.js';

export class CountingHasher implements PasswordHasher {
  readonly inner: Argon2PasswordHasher;
  verifies = 0;
  hashes = 0;
  /** The stored hash of each verification since the last reset (null: no hash to check). */
  readonly checked: Array<string | null> = [];

  /** `pool` sizes the hash queue (a burst test may need more than the default). */
  constructor(pool: Partial<HashPoolOptions> = {}) {
    this.inner = new Argon2PasswordHasher(pool);
  }

  hash(password: string): Promise<string> {
    this.hashes++;
    return this.inner.hash(password);
  }

  verify(password: string, storedHash: string | null, source?: string): Promise<boolean> {
    this.verifies++;
    this.checked.push(storedHash);
    return this.inner.verify(password, storedHash, source);
  }

  needsRehash(storedHash: string): boolean {
    return this.inner.needsRehash(storedHash);
  }

  decoy(profile: string): Promise<string> {
    return this.inner.decoy(profile);
  }

  reset(): void {
    this.verifies = 0;
    this.hashes = 0;
    this.checked.length = 0;
  }
}

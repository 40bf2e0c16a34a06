/**
 * A real argon2id hasher that counts what it is asked to do, to prove which requests cost hash
 * work and which do not.
 */
import { Argon2PasswordHasher, type PasswordHasher } from '../../src/accounts/password-hasher.js';

export class CountingHasher implements PasswordHasher {
  readonly inner = new Argon2PasswordHasher();
  verifies = 0;
  hashes = 0;

  hash(password: string): Promise<string> {
    this.hashes++;
    return this.inner.hash(password);
  }

  verify(password: string, storedHash: string | null, source?: string): Promise<boolean> {
    this.verifies++;
    return this.inner.verify(password, storedHash, source);
  }

  needsRehash(storedHash: string): boolean {
    return this.inner.needsRehash(storedHash);
  }

  reset(): void {
    this.verifies = 0;
    this.hashes = 0;
  }
}

/**
 * A hasher whose verifications wait on a gate the test opens and closes, scheduled by the real
 * {@link HashScheduler} (so the queue bounds and the 503 are the server's own), then verified
 * by a real argon2id hasher. Lets HTTP tests fill the hash queue without any timing.
 */
import type { HashPoolOptions } from '../../src/accounts/hash-scheduler.js';
import { HashScheduler } from '../../src/accounts/hash-scheduler.js';
import {
  Argon2PasswordHasher,
  type HashSource,
  type PasswordHasher,
  scheduleVerification,
} from '../../src/accounts/password-hasher.js';

export class GatedHasher implements PasswordHasher {
  readonly scheduler: HashScheduler;
  readonly #inner = new Argon2PasswordHasher();
  #gate: Promise<void> = Promise.resolve();
  #release: () => void = () => {};

  constructor(pool: Partial<HashPoolOptions>) {
    this.scheduler = new HashScheduler(pool);
  }

  /** Verifications started from now on wait until {@link open}. */
  close(): void {
    this.#gate = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  open(): void {
    this.#release();
    this.#gate = Promise.resolve();
  }

  /** Resolves once `predicate` holds for the scheduler's stats. */
  async until(predicate: (stats: HashScheduler['stats']) => boolean): Promise<void> {
    while (!predicate(this.scheduler.stats)) await new Promise((r) => setImmediate(r));
  }

  hash(password: string): Promise<string> {
    return this.#inner.hash(password);
  }

  verify(password: string, storedHash: string | null, source?: HashSource): Promise<boolean> {
    const gate = this.#gate;
    return scheduleVerification(this.scheduler, source, async () => {
      await gate;
      return this.#inner.verify(password, storedHash);
    });
  }

  needsRehash(storedHash: string): boolean {
    return this.#inner.needsRehash(storedHash);
  }

  decoy(profile: string): Promise<string> {
    return this.#inner.decoy(profile);
  }
}

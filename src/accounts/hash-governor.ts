/**
 * @module accounts/hash-governor
 *
 * Keeps the event loop responsive under a flood. Password hashing and the event loop share the
 * machine's cores; when requests arrive faster than they can be hashed, every extra one still
 * costs the event loop parsing, a room check and a 503, and with all cores busy hashing, the
 * event loop gets too little CPU (and cold caches: each argon2id job sweeps 19 MiB) to answer
 * anyone promptly. So while the hash pool is shedding it runs no more jobs than there are cores
 * (the default pool has one more: ADR 0012), and while it is shedding **and** the event loop is
 * busy, one job fewer than there are cores (never fewer than one), leaving a core to the event
 * loop; it goes back to full concurrency once nothing has been shed for a while. A legitimate burst that only fills the
 * queue (event loop not busy) keeps every hash thread.
 *
 * The inputs are the scheduler's shed count and the event-loop utilisation, sampled every
 * `intervalMs`; {@link HashGovernor.tick} takes them as arguments so tests can drive it.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { HashScheduler } from './hash-scheduler.js';
import type { PasswordHasher } from './password-hasher.js';

export interface GovernorOptions {
  /** Sampling period (ms). */
  intervalMs: number;
  /** Event-loop utilisation (0–1) above which shedding counts as overload. */
  busyUtilization: number;
  /** Consecutive samples without shedding before full concurrency returns. */
  calmSamples: number;
  /** CPU cores of the machine (the pool may be larger: see `defaultHashConcurrency`). */
  cores: number;
}

export const DEFAULT_GOVERNOR: GovernorOptions = {
  intervalMs: 100,
  busyUtilization: 0.8,
  calmSamples: 10,
  cores: availableParallelism(),
};

export class HashGovernor {
  readonly #scheduler: HashScheduler;
  readonly #options: GovernorOptions;
  #calm = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(scheduler: HashScheduler, options: Partial<GovernorOptions> = {}) {
    this.#scheduler = scheduler;
    this.#options = { ...DEFAULT_GOVERNOR, ...options };
  }

  /** True while the pool runs below its configured concurrency. */
  get throttled(): boolean {
    return this.#scheduler.limit < this.#scheduler.concurrency;
  }

  /** Jobs run while overloaded: one core fewer than the pool would use (at least one job). */
  get #overloadLimit(): number {
    return Math.max(1, Math.min(this.#scheduler.concurrency, this.#options.cores) - 1);
  }

  /**
   * One sample: requests shed since the last one, and the event loop's utilisation. While the
   * pool sheds it runs no job beyond the cores (the extra one only bridges hand-offs at
   * saturation; refusing requests, the event loop needs the CPU more), and with a busy event
   * loop one core fewer; it is never raised while shedding goes on.
   */
  tick(shed: number, utilization: number): void {
    const { concurrency, limit } = this.#scheduler;
    if (shed > 0) {
      this.#calm = 0;
      const busy = utilization > this.#options.busyUtilization;
      const cap = busy ? this.#overloadLimit : Math.min(concurrency, this.#options.cores);
      this.#scheduler.limit = Math.min(limit, cap);
      return;
    }
    this.#calm++;
    if (this.throttled && this.#calm >= this.#options.calmSamples) {
      this.#scheduler.limit = concurrency;
    }
  }

  /** Samples the live event loop every `intervalMs` (the timer does not keep the process up). */
  start(): void {
    if (this.#timer || this.#scheduler.concurrency < 2) return;
    let last = performance.eventLoopUtilization();
    this.#timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.tick(
        this.#scheduler.takeShedCount(),
        performance.eventLoopUtilization(now, last).utilization,
      );
      last = now;
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#scheduler.limit = this.#scheduler.concurrency;
  }
}

/** Starts a governor on `hasher`'s pool when it has one; returns its stop function. */
export function governHashPool(hasher: PasswordHasher): () => void {
  if (!hasher.scheduler) return () => {};
  const governor = new HashGovernor(hasher.scheduler);
  governor.start();
  return () => governor.stop();
}

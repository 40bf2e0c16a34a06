/**
 * @module accounts/hash-scheduler
 *
 * A bounded, fair pool for password-hash jobs. At most `concurrency` jobs run; the others wait
 * in one FIFO queue per source (the end-user IP). Sources are served one job at a time, round
 * robin, and a source that just became active goes ahead of the ones that have been busy (the
 * "new flows first" rule of FQ-CoDel, RFC 8290 §4.2), so a quiet source's job starts after at
 * most one job of each other source, however long their queues are.
 *
 * Waiting jobs are bounded twice: `maxQueue` in all and `maxQueuePerSource` per source. A job
 * over a bound is refused at once with {@link HashQueueFullError}. When the whole queue is full
 * and the arriving source holds at least two jobs fewer than the longest queue, the newest job
 * of that longest queue is refused instead, so a few noisy sources cannot keep everyone else
 * out. Internal work (`runInternal`: hashing at import, rehash after a good login) waits
 * without a bound and is served like one more source.
 */

export interface HashPoolOptions {
  /** Jobs that may run at once. */
  concurrency: number;
  /** Jobs that may wait, over all sources. */
  maxQueue: number;
  /** Jobs that may wait for one source. */
  maxQueuePerSource: number;
}

/** The defaults of `latchkey serve` (`--hash-concurrency`, `--hash-queue`, …). */
export const DEFAULT_HASH_POOL: HashPoolOptions = {
  concurrency: 2,
  maxQueue: 64,
  maxQueuePerSource: 16,
};

/** The job was not run because the queue (or the source's share of it) was full. */
export class HashQueueFullError extends Error {
  constructor() {
    super('hash queue full');
    this.name = 'HashQueueFullError';
  }
}

interface Job {
  start(): void;
  refuse(): void;
}

/** Key of internal work; IP addresses never contain NUL. */
const INTERNAL = '\0internal';

export interface HashPoolStats {
  running: number;
  /** Waiting jobs from sources (internal work excluded). */
  queued: number;
  /** Sources with waiting jobs. */
  sources: number;
}

export class HashScheduler {
  readonly #options: HashPoolOptions;
  readonly #queues = new Map<string, Job[]>();
  /** Sources that became active and have not been served since, in arrival order. */
  readonly #fresh: string[] = [];
  /** Sources served at least once while still active, in round-robin order. */
  readonly #busy: string[] = [];
  #running = 0;
  #queued = 0;

  constructor(options: Partial<HashPoolOptions> = {}) {
    const merged = { ...DEFAULT_HASH_POOL, ...options };
    for (const [name, value] of Object.entries(merged)) {
      if (!Number.isInteger(value) || value < (name === 'concurrency' ? 1 : 0))
        throw new RangeError(
          `${name} must be a ${name === 'concurrency' ? 'positive' : 'non-negative'} integer`,
        );
    }
    this.#options = merged;
  }

  get stats(): HashPoolStats {
    return { running: this.#running, queued: this.#queued, sources: this.#queues.size };
  }

  /** Runs `task` for `source` when its turn comes; rejects with {@link HashQueueFullError}. */
  run<T>(source: string, task: () => Promise<T>): Promise<T> {
    return this.#submit(source === INTERNAL ? `${source} ` : source, task);
  }

  /** Runs internal work (never refused, never evicted). */
  runInternal<T>(task: () => Promise<T>): Promise<T> {
    return this.#submit(INTERNAL, task);
  }

  #submit<T>(source: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        start: () => {
          this.#running++;
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              this.#running--;
              this.#dispatch();
            });
        },
        refuse: () => reject(new HashQueueFullError()),
      };
      if (this.#running < this.#options.concurrency && this.#queues.size === 0) job.start();
      else if (this.#admit(source)) this.#enqueue(source, job);
      else job.refuse();
    });
  }

  /**
   * Whether a job of `source` submitted now would run or wait (not be refused). Callers use it
   * to shed a request before doing any other work for it; nothing changes.
   */
  hasRoom(source: string): boolean {
    if (this.#running < this.#options.concurrency && this.#queues.size === 0) return true;
    return this.#admission(source) !== 'refuse';
  }

  /** How a job of `source` would be queued: as it is, by evicting a noisier job, or not. */
  #admission(source: string): 'wait' | 'evict' | 'refuse' {
    if (source === INTERNAL) return 'wait';
    const waiting = this.#queues.get(source)?.length ?? 0;
    if (waiting >= this.#options.maxQueuePerSource) return 'refuse';
    if (this.#queued < this.#options.maxQueue) return 'wait';
    const longest = this.#longestQueue();
    return longest !== undefined && longest.jobs.length >= waiting + 2 ? 'evict' : 'refuse';
  }

  /** Whether a job of `source` may wait, making room by eviction when that is fair. */
  #admit(source: string): boolean {
    const admission = this.#admission(source);
    if (admission !== 'evict') return admission === 'wait';
    this.#longestQueue()?.jobs.pop()?.refuse();
    this.#queued--;
    return true;
  }

  #longestQueue(): { source: string; jobs: Job[] } | undefined {
    let best: { source: string; jobs: Job[] } | undefined;
    for (const [source, jobs] of this.#queues) {
      if (source !== INTERNAL && jobs.length > (best?.jobs.length ?? 0)) best = { source, jobs };
    }
    return best;
  }

  #enqueue(source: string, job: Job): void {
    const jobs = this.#queues.get(source);
    if (source !== INTERNAL) this.#queued++;
    if (jobs) {
      jobs.push(job);
      return;
    }
    this.#queues.set(source, [job]);
    this.#fresh.push(source);
  }

  /** Starts waiting jobs while slots are free: fresh sources first, then round robin. */
  #dispatch(): void {
    while (this.#running < this.#options.concurrency) {
      const source = this.#fresh.shift() ?? this.#busy.shift();
      if (source === undefined) return;
      const jobs = this.#queues.get(source);
      const job = jobs?.shift();
      if (!jobs || !job) continue;
      if (source !== INTERNAL) this.#queued--;
      if (jobs.length > 0) this.#busy.push(source);
      else this.#queues.delete(source);
      job.start();
    }
  }
}

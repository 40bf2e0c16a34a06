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
 *
 * A caller that has work to do before its job is ready (a login looks the user up and takes
 * its attack-protection reservations first) takes a {@link HashReservation}: admitted now,
 * counted against both bounds like a waiting job, and queued without a second admission check
 * when the job is submitted with it. Many requests arriving together therefore cannot all pass
 * a room check and then be refused after doing that work.
 */
import { availableParallelism } from 'node:os';

export interface HashPoolOptions {
  /** Jobs that may run at once. */
  concurrency: number;
  /** Jobs that may wait, over all sources. */
  maxQueue: number;
  /** Jobs that may wait for one source. */
  maxQueuePerSource: number;
}

/**
 * Threads in libuv's pool, which hashing and token signing share (`UV_THREADPOOL_SIZE`; the
 * `latchkey` command sets it to cores + 3 when unset, bin/threadpool.cjs; Node's default is 4).
 */
export function threadpoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size > 0 ? Math.min(size, 1024) : 4;
}

/**
 * Hash jobs run at once by default: one more than the cores, so a core never idles in the hand-off
 * between one job's end and the next one's start (that needs the event loop), but never the whole
 * threadpool, so a token signature never waits behind password hashes (ADR 0012).
 */
export function defaultHashConcurrency(cores: number, threads: number): number {
  return Math.max(1, Math.min(cores + 1, threads - 1));
}

/** The defaults of `latchkey serve` (`--hash-concurrency`, `--hash-queue`, …). */
export const DEFAULT_HASH_POOL: HashPoolOptions = {
  concurrency: defaultHashConcurrency(availableParallelism(), threadpoolSize()),
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

/** A place in the queue taken ahead of the job (see {@link HashScheduler.reserve}). */
export interface HashReservation {
  readonly source: string;
  /** Gives the place back if no job used it (safe to call more than once). */
  release(): void;
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
  /** Reservations not yet used or released (identity), and their count by source. */
  readonly #open = new WeakSet<HashReservation>();
  readonly #reserved = new Map<string, number>();
  #running = 0;
  #queued = 0;
  /** Jobs that may run at once now (see {@link limit}). */
  #limit: number;
  #shed = 0;
  #reservedTotal = 0;

  constructor(options: Partial<HashPoolOptions> = {}) {
    const merged = { ...DEFAULT_HASH_POOL, ...options };
    for (const [name, value] of Object.entries(merged)) {
      if (!Number.isInteger(value) || value < (name === 'concurrency' ? 1 : 0))
        throw new RangeError(
          `${name} must be a ${name === 'concurrency' ? 'positive' : 'non-negative'} integer`,
        );
    }
    this.#options = merged;
    this.#limit = merged.concurrency;
  }

  /** The configured concurrency. */
  get concurrency(): number {
    return this.#options.concurrency;
  }

  /**
   * Jobs allowed to run at once from now on, 1 to `concurrency` (jobs already running go on).
   * The overload governor lowers it while the pool sheds under a busy event loop.
   */
  get limit(): number {
    return this.#limit;
  }

  set limit(value: number) {
    this.#limit = Math.min(this.#options.concurrency, Math.max(1, Math.floor(value)));
    this.#dispatch();
  }

  /** Jobs and reservations refused, and room checks answered no, since the last call. */
  takeShedCount(): number {
    const shed = this.#shed;
    this.#shed = 0;
    return shed;
  }

  get stats(): HashPoolStats {
    return { running: this.#running, queued: this.#queued, sources: this.#queues.size };
  }

  /**
   * Runs `task` for `source` when its turn comes; rejects with {@link HashQueueFullError}. With
   * a reservation (unused) the job is admitted without another check.
   */
  run<T>(source: string | HashReservation, task: () => Promise<T>): Promise<T> {
    if (typeof source !== 'string') {
      if (this.#consume(source)) return this.#submit(source.source, task, true);
      source = source.source;
    }
    return this.#submit(this.#key(source), task, false);
  }

  /** A place for a job of `source` submitted later, or null when it would be refused now. */
  reserve(source: string): HashReservation | null {
    const key = this.#key(source);
    if (!this.#startsNow()) {
      const admission = this.#admission(key);
      if (admission === 'refuse') {
        this.#shed++;
        return null;
      }
      if (admission === 'evict') this.#evict();
    }
    this.#reserved.set(key, (this.#reserved.get(key) ?? 0) + 1);
    this.#reservedTotal++;
    const reservation: HashReservation = {
      source: key,
      release: () => void this.#consume(reservation),
    };
    this.#open.add(reservation);
    return reservation;
  }

  /** Takes `reservation` out of the counts; false when it was already used or released. */
  #consume(reservation: HashReservation): boolean {
    if (!this.#open.delete(reservation)) return false;
    const left = (this.#reserved.get(reservation.source) ?? 1) - 1;
    if (left > 0) this.#reserved.set(reservation.source, left);
    else this.#reserved.delete(reservation.source);
    this.#reservedTotal--;
    return true;
  }

  #key(source: string): string {
    return source === INTERNAL ? `${source} ` : source;
  }

  /** A job submitted now would start at once: a free slot no one waits or holds a place for. */
  #startsNow(): boolean {
    return this.#running + this.#reservedTotal < this.#limit && this.#queues.size === 0;
  }

  /** Runs internal work (never refused, never evicted). */
  runInternal<T>(task: () => Promise<T>): Promise<T> {
    return this.#submit(INTERNAL, task, true);
  }

  #submit<T>(source: string, task: () => Promise<T>, admitted: boolean): Promise<T> {
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
        refuse: () => {
          this.#shed++;
          reject(new HashQueueFullError());
        },
      };
      if (this.#running < this.#limit && this.#queues.size === 0) job.start();
      else if (admitted || this.#admit(source)) this.#enqueue(source, job);
      else job.refuse();
    });
  }

  /**
   * Whether a job of `source` submitted now would run or wait (not be refused). Callers use it
   * to shed a request before doing any other work for it; nothing changes but the shed count.
   */
  hasRoom(source: string): boolean {
    if (this.#startsNow() || this.#admission(this.#key(source)) !== 'refuse') return true;
    this.#shed++;
    return false;
  }

  /** How a job of `source` would be queued: as it is, by evicting a noisier job, or not. */
  #admission(source: string): 'wait' | 'evict' | 'refuse' {
    if (source === INTERNAL) return 'wait';
    const waiting = (this.#queues.get(source)?.length ?? 0) + (this.#reserved.get(source) ?? 0);
    if (waiting >= this.#options.maxQueuePerSource) return 'refuse';
    if (this.#queued + this.#reservedTotal < this.#options.maxQueue) return 'wait';
    const longest = this.#longestQueue();
    return longest !== undefined && longest.jobs.length >= waiting + 2 ? 'evict' : 'refuse';
  }

  /** Whether a job of `source` may wait, making room by eviction when that is fair. */
  #admit(source: string): boolean {
    const admission = this.#admission(source);
    if (admission !== 'evict') return admission === 'wait';
    this.#evict();
    return true;
  }

  /** Refuses the newest waiting job of the longest queue. */
  #evict(): void {
    const victim = this.#longestQueue()?.jobs.pop();
    if (!victim) return;
    victim.refuse();
    this.#queued--;
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
    while (this.#running < this.#limit) {
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

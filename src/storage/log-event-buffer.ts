/**
 * @module storage/log-event-buffer
 *
 * Write-behind for the tenant log (`log_events`), in front of any adapter. Every token request
 * records an event and never waits for it (events/audit); written one by one, each event was
 * its own commit, the largest single SQLite cost of a password login. Here events wait in
 * memory for at most `flushMs` (or until `maxBatch` have gathered) and go to the store together
 * with `recordMany`, in the order they were recorded. Reads and purges through this storage
 * flush first, so this process always sees its own events; `close` flushes what is left.
 * What a `kill -9` can lose is the last `flushMs` of events (docs/adr/0014). Users, tokens,
 * blocks and counters are never buffered.
 */
import type { LogEvent } from './models.js';
import type { LogEventStore, Storage } from './storage.js';

export interface LogEventBufferOptions {
  /** Longest an event waits before it is written (default {@link LOG_FLUSH_MS}). */
  flushMs?: number;
  /** Events that trigger a write at once (default {@link LOG_MAX_BATCH}). */
  maxBatch?: number;
}

export const LOG_FLUSH_MS = 50;
export const LOG_MAX_BATCH = 256;

interface Pending {
  event: LogEvent;
  settle: (error?: unknown) => void;
}

class LogEventBuffer {
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The last batch handed to the store; batches are written one after another. */
  #written: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: LogEventStore,
    private readonly flushMs: number,
    private readonly maxBatch: number,
  ) {}

  /** Resolves once `event` is stored; rejects with the store's error when its batch fails. */
  add(event: LogEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ event, settle: (error) => (error ? reject(error) : resolve()) });
      if (this.#pending.length >= this.maxBatch) void this.flush();
      else this.#timer ??= setTimeout(() => void this.flush(), this.flushMs);
    });
  }

  /** Writes what is pending; resolves when it (and every earlier batch) has been written. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    if (batch.length === 0) return this.#written;
    this.#pending = [];
    this.#written = this.#written
      .then(() => this.store.recordMany(batch.map((p) => p.event)))
      .then(
        () => {
          for (const p of batch) p.settle();
        },
        (error: unknown) => {
          for (const p of batch) p.settle(error ?? new Error('log events not stored'));
        },
      );
    return this.#written;
  }
}

/** `storage` whose `logEvents.record` is written behind, in batches. */
export function withLogEventBuffer(storage: Storage, options: LogEventBufferOptions = {}): Storage {
  const { logEvents } = storage;
  const buffer = new LogEventBuffer(
    logEvents,
    options.flushMs ?? LOG_FLUSH_MS,
    options.maxBatch ?? LOG_MAX_BATCH,
  );
  const flushed =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await buffer.flush();
      return call(...args);
    };
  return {
    ...storage,
    logEvents: {
      record: (event) => buffer.add(event),
      recordMany: flushed((events) => logEvents.recordMany(events)),
      list: flushed((listOptions) => logEvents.list(listOptions)),
      purgeBefore: flushed((date) => logEvents.purgeBefore(date)),
    },
    close: flushed(() => storage.close()),
  };
}

/**
 * @module storage/sqlite/busy-wait
 *
 * Waiting for SQLite's write lock without stopping the event loop. better-sqlite3 is
 * synchronous, so SQLite's own `busy_timeout` would wait on the main thread: while another
 * process (`latchkey users import`, `keys rotate`) held the write lock, every request waited
 * with it, reads included. The connection therefore runs with `busy_timeout = 0`, and a
 * statement refused with `SQLITE_BUSY` is tried again after a timer, backing off from 1 ms to
 * 50 ms, for up to {@link BUSY_WAIT_MS}; the last refusal then surfaces (a 503 for a request,
 * `storage-errors.ts`). A refused statement did nothing, so trying it again is safe; a
 * transaction is refused at its `BEGIN IMMEDIATE`, before any of its statements ran.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How long a statement waits for the write lock in all (SQLite's `busy_timeout` before). */
export const BUSY_WAIT_MS = 5000;

const FIRST_PAUSE_MS = 1;
const LONGEST_PAUSE_MS = 50;

/** True for a refusal that waiting can end: the lock is held, or the WAL is being recovered. */
export function isBusy(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : null;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY';
}

/**
 * Runs `attempt` (synchronous or not) and, while it is refused as busy, again after a pause,
 * until `waitMs` have passed. The first try runs at once, on the caller's turn.
 */
export async function whileBusy<T>(
  attempt: () => T | Promise<T>,
  waitMs: number = BUSY_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  let pause = FIRST_PAUSE_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!isBusy(err) || Date.now() + pause > deadline) throw err;
    }
    await sleep(pause);
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
  }
}

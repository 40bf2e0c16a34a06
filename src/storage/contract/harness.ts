/**
 * @module storage/contract/harness
 *
 * Plumbing shared by the contract suites: a fresh storage per test and a way to start many
 * calls at once.
 */
import { afterEach, beforeEach } from 'node:test';
import type { Storage } from '../storage.js';

/** Opens a storage that holds no data yet (a new database, or freshly emptied tables). */
export type OpenStorage = () => Promise<Storage>;

/**
 * Opens a fresh storage before each test of the enclosing `describe` and closes it after.
 * Returns a getter for the current one.
 */
export function useFreshStorage(open: OpenStorage): () => Storage {
  let current: Storage | null = null;
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    await current?.close();
    current = null;
  });
  return () => {
    if (current === null) throw new Error('no storage is open outside a test');
    return current;
  };
}

/** Starts `count` calls of `task` without awaiting in between, then awaits them all. */
export function concurrently<T>(count: number, task: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => task(index)));
}

/** Sorts a copy of `records` by `key`, for comparing lists whose order is unspecified. */
export function sortedBy<T>(records: readonly T[], key: (record: T) => string): T[] {
  return [...records].sort((a, b) => key(a).localeCompare(key(b)));
}

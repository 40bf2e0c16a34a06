/**
 * @module cli/commands/shared
 *
 * Options and helpers shared by the subcommands.
 */
import { Option } from 'commander';
import { openDataDir } from '../../server.js';
import type { Storage } from '../../storage/storage.js';

/** `--data DIR` (env `LATCHKEY_DATA`, default `./data`). */
export function dataOption(): Option {
  return new Option('--data <dir>', 'data directory (SQLite database)')
    .env('LATCHKEY_DATA')
    .default('./data');
}

/** Opens the data directory, runs `fn`, and closes the store whatever happens. */
export async function withStorage<T>(
  dataDir: string,
  fn: (storage: Storage) => Promise<T>,
): Promise<T> {
  const storage = await openDataDir(dataDir);
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

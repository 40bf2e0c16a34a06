/**
 * @module cli/commands/shared
 *
 * Options and helpers shared by the subcommands.
 */

import { InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../../config/server-config.js';
import { openDataDir } from '../../server.js';
import {
  dataDirBefore,
  undoNewDataDir,
  undoNewDataDirOnSignal,
} from '../../storage/sqlite/data-dir.js';
import type { Storage } from '../../storage/storage.js';

/**
 * Refuses an empty value: `LATCHKEY_HOST=` would bind every interface, `--data ''` write into
 * the working directory, `--smtp-host ''` turn SMTP on with no server.
 */
export function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty');
  return value;
}

/** `--data DIR` (env `LATCHKEY_DATA`, default `./data`). */
export function dataOption(): Option {
  return new Option('--data <dir>', 'data directory (SQLite database)')
    .env('LATCHKEY_DATA')
    .default('./data')
    .argParser(nonEmpty);
}

/**
 * Opens the data directory, runs `fn`, and closes the store whatever happens. Only the commands
 * that set a tenant up (`create`) may start a new database: any other on a mistyped `--data`
 * would create an empty one and answer from it (an empty export, keys no server uses). A new
 * database is removed again when `fn` fails or a SIGINT or SIGTERM stops it, with the
 * directories made for it, so a failed or interrupted first import leaves nothing behind.
 */
export async function withStorage<T>(
  dataDir: string,
  fn: (storage: Storage) => Promise<T>,
  { create = false }: { create?: boolean } = {},
): Promise<T> {
  const before = dataDirBefore(dataDir);
  if (!before.hadDatabase && !create) {
    throw new ConfigError(
      `no database in ${dataDir} (check --data; \`latchkey serve\` or \`latchkey tenant import\` creates one)`,
    );
  }
  const release = undoNewDataDirOnSignal(before);
  let storage: Storage;
  try {
    storage = await openDataDir(dataDir);
  } catch (err) {
    release();
    throw err;
  }
  let done = false;
  try {
    const result = await fn(storage);
    done = true;
    return result;
  } finally {
    await storage.close();
    release();
    if (!done) undoNewDataDir(before);
  }
}

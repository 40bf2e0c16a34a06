/**
 * @module cli/commands/shared
 *
 * Options and helpers shared by the subcommands.
 */
import { existsSync } from 'node:fs';
import { Option } from 'commander';
import { ConfigError } from '../../config/server-config.js';
import { databaseFile, openDataDir } from '../../server.js';
import type { Storage } from '../../storage/storage.js';

/** `--data DIR` (env `LATCHKEY_DATA`, default `./data`). */
export function dataOption(): Option {
  return new Option('--data <dir>', 'data directory (SQLite database)')
    .env('LATCHKEY_DATA')
    .default('./data');
}

/**
 * Opens the data directory, runs `fn`, and closes the store whatever happens. Only the commands
 * that set a tenant up (`create`) may start a new database: any other on a mistyped `--data`
 * would create an empty one and answer from it (an empty export, keys no server uses).
 */
export async function withStorage<T>(
  dataDir: string,
  fn: (storage: Storage) => Promise<T>,
  { create = false }: { create?: boolean } = {},
): Promise<T> {
  if (!create && !existsSync(databaseFile(dataDir))) {
    throw new ConfigError(
      `no database in ${dataDir} (check --data; \`latchkey serve\` or \`latchkey tenant import\` creates one)`,
    );
  }
  const storage = await openDataDir(dataDir);
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

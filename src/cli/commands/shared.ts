/**
 * @module cli/commands/shared
 *
 * Options and helpers shared by the subcommands.
 */
import { existsSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../../config/server-config.js';
import { databaseFile, openDataDir } from '../../server.js';
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

/** Whether `dataDir` holds a database (an empty file, as a failed start may leave, is none). */
function hasDatabase(dataDir: string): boolean {
  const file = databaseFile(dataDir);
  return existsSync(file) && statSync(file).size > 0;
}

/** Removes a database this command created (and its directory, if it made that and it is empty). */
function removeNewDatabase(dataDir: string, madeDir: boolean): void {
  const file = databaseFile(dataDir);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  if (!madeDir) return;
  try {
    rmdirSync(dataDir); // only when empty: nothing but the database is removed
  } catch {
    // something else is in it now: leave it
  }
}

/**
 * Opens the data directory, runs `fn`, and closes the store whatever happens. Only the commands
 * that set a tenant up (`create`) may start a new database: any other on a mistyped `--data`
 * would create an empty one and answer from it (an empty export, keys no server uses). A new
 * database is removed again when `fn` fails, so a failed first import leaves nothing behind.
 */
export async function withStorage<T>(
  dataDir: string,
  fn: (storage: Storage) => Promise<T>,
  { create = false }: { create?: boolean } = {},
): Promise<T> {
  const isNew = !hasDatabase(dataDir);
  if (isNew && !create) {
    throw new ConfigError(
      `no database in ${dataDir} (check --data; \`latchkey serve\` or \`latchkey tenant import\` creates one)`,
    );
  }
  const madeDir = !existsSync(dataDir);
  const storage = await openDataDir(dataDir);
  let done = false;
  try {
    const result = await fn(storage);
    done = true;
    return result;
  } finally {
    await storage.close();
    if (isNew && !done) removeNewDatabase(dataDir, madeDir);
  }
}

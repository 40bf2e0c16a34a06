/**
 * @module storage/sqlite/data-dir
 *
 * The data directory of the embedded store: where its database file is, whether one is there,
 * and how to take back what a start or a first import created when it failed (the database, a
 * key file it generated, and the directories it made), so that nothing half-made is left for
 * the next command to read as a real tenant.
 */
import { existsSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The SQLite database file of a data directory. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'latchkey.db');
}

/** Whether `dataDir` holds a database (an empty file is none: SQLite writes the header first). */
export function hasDatabase(dataDir: string): boolean {
  const file = databaseFile(dataDir);
  return existsSync(file) && statSync(file).size > 0;
}

/** What was there before a command that may create a data directory, to undo it on failure. */
export interface DataDirBefore {
  readonly dataDir: string;
  readonly hadDatabase: boolean;
  /** Files of the directory that existed, among those a start may create. */
  readonly existingFiles: ReadonlySet<string>;
  /** Directories that did not exist, deepest first. */
  readonly missingDirs: readonly string[];
}

/** Notes what exists before the database is opened; `files` are names a start may create. */
export function dataDirBefore(dataDir: string, files: readonly string[] = []): DataDirBefore {
  const missingDirs: string[] = [];
  for (let dir = resolve(dataDir); !existsSync(dir); dir = dirname(dir)) {
    missingDirs.push(dir);
    if (dirname(dir) === dir) break;
  }
  return {
    dataDir,
    hadDatabase: hasDatabase(dataDir),
    existingFiles: new Set(files.filter((name) => existsSync(join(dataDir, name)))),
    missingDirs,
  };
}

/**
 * After a failure: removes a database that did not exist before (with its -wal and -shm), the
 * listed files that did not exist, and the directories that were made, if they are empty.
 */
export function undoNewDataDir(before: DataDirBefore, files: readonly string[] = []): void {
  if (before.hadDatabase) return;
  const file = databaseFile(before.dataDir);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  for (const name of files) {
    if (!before.existingFiles.has(name)) rmSync(join(before.dataDir, name), { force: true });
  }
  for (const dir of before.missingDirs) {
    try {
      rmdirSync(dir); // only when empty: nothing but what this start made is removed
    } catch {
      return; // something else is in it now: leave it and its parents
    }
  }
}

/** Exit codes of a process stopped by SIGINT and SIGTERM (128 + the signal's number). */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * While a command sets up a new data directory, a SIGINT (Ctrl-C) or SIGTERM undoes what it
 * made ({@link undoNewDataDir}) and exits with the signal's code, saying so on stderr: stopped
 * halfway, a first import would otherwise leave a database that `serve` then starts from.
 * Removing the open files is safe: the process exits at once. Returns the function that takes
 * the handlers back (call it once the set-up is over); nothing is installed for an existing
 * database.
 */
export function undoNewDataDirOnSignal(
  before: DataDirBefore,
  files: readonly string[] = [],
): () => void {
  if (before.hadDatabase) return () => {};
  const onSignal = (signal: keyof typeof SIGNAL_EXIT) => {
    let undone = 'removed the new database in';
    try {
      undoNewDataDir(before, files);
    } catch {
      undone = 'could not remove the new database in';
    }
    process.stderr.write(`latchkey: stopped by ${signal}; ${undone} ${before.dataDir}\n`);
    process.exit(SIGNAL_EXIT[signal]);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, onSignal);
  return () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.off(signal, onSignal);
  };
}

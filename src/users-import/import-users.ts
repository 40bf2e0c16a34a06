/**
 * @module users-import/import-users
 *
 * Imports an Auth0 bulk-import users file into one database connection: reads and checks every
 * row, matches rows with stored users and checks for clashes, and only when nothing is wrong
 * upserts all users in one transaction. Any problem means nothing is written.
 */
import type { Storage } from '../storage/storage.js';
import { UniqueViolation } from '../storage/storage.js';
import { Problems, UsersImportError } from './problems.js';
import { readUsersFile } from './read-users-file.js';
import { type PreparedUser, resolveUsers } from './resolve-users.js';
import { validateUsers } from './validate-users.js';

/** What an import wrote. */
export interface UsersImportSummary {
  created: number;
  updated: number;
}

export interface UsersImportOptions {
  /** Name of the file, for messages. */
  source: string;
  /** Name of the database connection the users belong to. */
  connection: string;
  /** Stamps `created_at` / `updated_at` (default: now). */
  now?: () => Date;
}

/** Upserts every user in one transaction; a late uniqueness clash rolls it all back. */
async function writeUsers(
  storage: Storage,
  users: readonly PreparedUser[],
  options: UsersImportOptions & { rows: number },
): Promise<void> {
  await storage.transaction(async (tx) => {
    for (const user of users) {
      try {
        await tx.users.upsert(user.record);
      } catch (error) {
        if (!(error instanceof UniqueViolation)) throw error;
        const problem = `another user of connection "${options.connection}" already has this ${error.field}`;
        const path = [user.index, error.field];
        throw UsersImportError.ofRows(options.source, [{ path, problem }], options.rows);
      }
    }
  });
}

/**
 * Imports `users` (the parsed file: an array) into `options.connection`. Throws
 * {@link UsersImportError} listing the problems when the connection does not exist or any row
 * is wrong; nothing is written then.
 */
export async function importUsers(
  storage: Storage,
  users: readonly unknown[],
  options: UsersImportOptions,
): Promise<UsersImportSummary> {
  const { source, connection } = options;
  if (!(await storage.connections.getByName(connection))) {
    throw UsersImportError.ofFile('--connection', `connection "${connection}" does not exist`);
  }
  const problems = new Problems();
  const rows = validateUsers(users, problems);
  if (problems.size > 0) throw UsersImportError.ofRows(source, problems.byRow(), users.length);
  const now = (options.now ?? (() => new Date()))().toISOString();
  const prepared = await resolveUsers(storage, connection, rows, now, problems);
  if (problems.size > 0) throw UsersImportError.ofRows(source, problems.byRow(), users.length);
  await writeUsers(storage, prepared, { ...options, rows: users.length });
  const updated = prepared.filter((user) => user.existed).length;
  return { created: prepared.length - updated, updated };
}

/** Reads the users file at `path` and imports it (see {@link importUsers}). */
export async function importUsersFile(
  storage: Storage,
  path: string,
  options: Omit<UsersImportOptions, 'source'>,
): Promise<UsersImportSummary> {
  const users = await readUsersFile(path);
  return importUsers(storage, users, { ...options, source: path });
}

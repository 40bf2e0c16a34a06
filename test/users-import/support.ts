/**
 * @module test/users-import/support
 *
 * Shared helpers of the users-import tests: precomputed password hashes, a storage with a
 * database connection, and ways to capture the problems of a file.
 */
import assert from 'node:assert/strict';
import { Argon2PasswordHasher } from '../../src/accounts/password-hasher.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { importTenant } from '../../src/tenant/import-tenant.js';
import { formatProblem, Problems, UsersImportError } from '../../src/users-import/problems.js';
import type { ImportRow } from '../../src/users-import/validate-row.js';
import { validateUsers } from '../../src/users-import/validate-users.js';

/** bcrypt (cost 4) of "legacy password": one precomputed hash serves every row. */
export const BCRYPT = '$2b$04$yn0i0n4Xy3IB/y1nU883TeoWA3ndrPMmYJONNE.4YGeHn66uZgiGa';
export const BCRYPT_PASSWORD = 'legacy password';
/** argon2id (m=1024, t=1, p=1) of "argon password". */
export const ARGON2 =
  '$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$9qPE9XeeSWTLmJxvaIyfoj5rOGZR64CuqmTSO1ie6Aw';
export const ARGON2_PASSWORD = 'argon password';

/** The name of the database connection the tests import into. */
export const DB = 'db';

/** A new in-memory storage holding the connections `db` and `other`. */
export async function storageWithConnection(): Promise<Storage> {
  const storage = await openSqliteStorage({ path: ':memory:' });
  await importTenant(
    storage,
    { connections: [{ name: DB }, { name: 'other' }] },
    new Argon2PasswordHasher(),
  );
  return storage;
}

/** The problems of `users` as `[i].field: problem` lines (no storage involved). */
export function problemsOf(users: unknown[]): string[] {
  const problems = new Problems();
  validateUsers(users, problems);
  return problems.byRow().map((problem) => formatProblem('', problem));
}

/** The row of one valid user (fails when it has problems). */
export function validRow(user: Record<string, unknown>): ImportRow {
  const problems = new Problems();
  const [row] = validateUsers([user], problems);
  assert.deepEqual(problems.list, []);
  assert.ok(row);
  return row;
}

/** The problems of one user. */
export function rowProblems(user: unknown): string[] {
  return problemsOf([user]);
}

/** The {@link UsersImportError} the promise rejects with. */
export async function importErrorOf(promise: Promise<unknown>): Promise<UsersImportError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UsersImportError, `expected UsersImportError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a UsersImportError');
}

/** `count` valid users `user<i>@example.com` with user_id `u<i>`, all with {@link BCRYPT}. */
export function generatedUsers(count: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    email: `user${i}@example.com`,
    email_verified: true,
    user_id: `u${i}`,
    username: `user${i}`,
    name: `User ${i}`,
    app_metadata: { plan: 'gold', n: i },
    password_hash: BCRYPT,
  }));
}

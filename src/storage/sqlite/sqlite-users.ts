/**
 * @module storage/sqlite/sqlite-users
 *
 * {@link UserStore} over the `users` table. Email and username are also stored lower-cased
 * (by JavaScript, which folds all of Unicode where SQLite's `lower()` folds only ASCII); the
 * unique indexes and every lookup use those columns, so logins are case-insensitive. The login
 * lookup is on every password grant, so it runs as fixed SQL through a {@link SqlRunner}
 * (ADR 0016).
 */
import type { Kysely, Selectable } from 'kysely';
import { hashProfile } from '../../accounts/hash-profile.js';
import type { PasswordHashProfileCount, User } from '../models.js';
import type { UserStore } from '../storage.js';
import { fromFlag, fromJson, rowCount, toFlag, toJson } from './columns.js';
import type { Database, UsersTable } from './schema.js';
import type { SqlRunner } from './sql-runner.js';
import { withUniqueViolation } from './sqlite-errors.js';

/** Parameters: connection, folded login. */
const BY_EMAIL = 'select * from users where connection = ? and email_lower = ?';
const BY_USERNAME = 'select * from users where connection = ? and username_lower = ?';

/** Merges the starts that share a profile (`$2a$10$` and `$2b$10$`); drops the unknown ones. */
function byProfile(
  rows: readonly { connection: string; start: string; users: number }[],
): PasswordHashProfileCount[] {
  const counts = new Map<string, PasswordHashProfileCount>();
  for (const { connection, start, users } of rows) {
    const profile = hashProfile(start);
    if (profile === null) continue;
    const key = `${connection}\n${profile}`;
    const entry = counts.get(key) ?? { connection, profile, users: 0 };
    entry.users += Number(users);
    counts.set(key, entry);
  }
  return [...counts.values()];
}

/** The form in which emails and usernames are compared. */
function fold(value: string): string {
  return value.toLowerCase();
}

function toRow(user: User): UsersTable {
  return {
    user_id: user.user_id,
    connection: user.connection,
    email: user.email,
    email_lower: user.email === null ? null : fold(user.email),
    username: user.username,
    username_lower: user.username === null ? null : fold(user.username),
    email_verified: toFlag(user.email_verified),
    name: user.name,
    given_name: user.given_name,
    family_name: user.family_name,
    nickname: user.nickname,
    picture: user.picture,
    app_metadata: toJson(user.app_metadata),
    user_metadata: toJson(user.user_metadata),
    blocked: toFlag(user.blocked),
    password_hash: user.password_hash,
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
}

function fromRow(row: Selectable<UsersTable>): User {
  const { email_lower: _email, username_lower: _username, ...fields } = row;
  return {
    ...fields,
    email_verified: fromFlag(row.email_verified),
    app_metadata: fromJson(row.app_metadata),
    user_metadata: fromJson(row.user_metadata),
    blocked: fromFlag(row.blocked),
  };
}

/**
 * A {@link UserStore} that runs its queries on `db` (a database or a transaction), the login
 * lookup through `runner`.
 */
export function sqliteUsers(db: Kysely<Database>, runner: SqlRunner): UserStore {
  const users = () => db.selectFrom('users').selectAll();
  return {
    async get(userId) {
      const row = await users().where('user_id', '=', userId).executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    async findByLogin(connection, identifier) {
      // Two point lookups on the unique indexes, both always run: the same work whether the
      // login names an email, a username or nobody.
      const params = [connection, fold(identifier)];
      const byEmail = await runner.get<Selectable<UsersTable>>(BY_EMAIL, params);
      const byUsername = await runner.get<Selectable<UsersTable>>(BY_USERNAME, params);
      const row = byEmail ?? byUsername;
      return row ? fromRow(row) : null;
    },

    async findByEmail(connection, email) {
      const row = await users()
        .where('connection', '=', connection)
        .where('email_lower', '=', fold(email))
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    async list(connection) {
      const query =
        connection === undefined ? users() : users().where('connection', '=', connection);
      const rows = await query.orderBy('user_id').execute();
      return rows.map(fromRow);
    },

    async upsert(user) {
      const row = toRow(user);
      const { user_id: _key, ...changes } = row;
      await withUniqueViolation(
        db
          .insertInto('users')
          .values(row)
          .onConflict((oc) => oc.column('user_id').doUpdateSet(changes))
          .execute(),
      );
    },

    async compareAndSetPasswordHash(userId, expected, next) {
      const result = await db
        .updateTable('users')
        .set({ password_hash: next })
        .where('user_id', '=', userId)
        .where('password_hash', '=', expected)
        .executeTakeFirst();
      return rowCount(result.numUpdatedRows) === 1;
    },

    async delete(userId) {
      const result = await db.deleteFrom('users').where('user_id', '=', userId).executeTakeFirst();
      return rowCount(result.numDeletedRows) > 0;
    },

    async passwordHashProfiles() {
      // kept by triggers as users are written (migration 0006), not counted here
      const rows = await db
        .selectFrom('password_hash_starts')
        .select(['connection', 'start', 'users'])
        .execute();
      return byProfile(rows);
    },
  };
}

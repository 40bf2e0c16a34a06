/**
 * @module storage/sqlite/sqlite-authenticators
 *
 * {@link AuthenticatorStore} over the `mfa_authenticators` table. Consuming a recovery code
 * is one compare-and-set `UPDATE`, so a code is accepted once however many race for it.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { MfaAuthenticator } from '../models.js';
import type { AuthenticatorStore } from '../storage.js';
import { fromFlag, rowCount, toFlag } from './columns.js';
import type { Database, MfaAuthenticatorsTable } from './schema.js';

function toRecord(row: Selectable<MfaAuthenticatorsTable>): MfaAuthenticator {
  return { ...row, active: fromFlag(row.active) };
}

/** An {@link AuthenticatorStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteAuthenticators(db: Kysely<Database>): AuthenticatorStore {
  return {
    async insert(authenticator) {
      await db
        .insertInto('mfa_authenticators')
        .values({ ...authenticator, active: toFlag(authenticator.active) })
        .execute();
    },

    async get(id) {
      const row = await db
        .selectFrom('mfa_authenticators')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },

    async listByUser(userId) {
      const rows = await db
        .selectFrom('mfa_authenticators')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy(sql`rowid`)
        .execute();
      return rows.map(toRecord);
    },

    async activate(id) {
      const result = await db
        .updateTable('mfa_authenticators')
        .set({ active: 1 })
        .where('id', '=', id)
        .executeTakeFirst();
      return rowCount(result.numUpdatedRows) > 0;
    },

    async replaceRecoveryCode(id, expected, next) {
      const result = await db
        .updateTable('mfa_authenticators')
        .set({ recovery_code_hash: next })
        .where('id', '=', id)
        .where('recovery_code_hash', '=', expected)
        .executeTakeFirst();
      return rowCount(result.numUpdatedRows) === 1;
    },

    async delete(id) {
      const result = await db
        .deleteFrom('mfa_authenticators')
        .where('id', '=', id)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows) > 0;
    },

    async deleteInactive(userId) {
      const result = await db
        .deleteFrom('mfa_authenticators')
        .where('user_id', '=', userId)
        .where('active', '=', 0)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },

    async deleteByUser(userId) {
      const result = await db
        .deleteFrom('mfa_authenticators')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

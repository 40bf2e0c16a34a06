/**
 * @module storage/sqlite/sqlite-signing-keys
 *
 * {@link SigningKeyStore} over the `signing_keys` table. The version is a counter in
 * `storage_meta` that triggers raise inside the statement that inserts a key or changes its
 * status, so it can never lag behind the keys.
 */
import type { Kysely } from 'kysely';
import type { SigningKeyStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';
import { withUniqueViolation } from './sqlite-errors.js';

/** A {@link SigningKeyStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteSigningKeys(db: Kysely<Database>): SigningKeyStore {
  return {
    async list() {
      return db
        .selectFrom('signing_keys')
        .selectAll()
        .orderBy('created_at')
        .orderBy('kid')
        .execute();
    },

    async insert(key) {
      const row = {
        kid: key.kid,
        alg: key.alg,
        status: key.status,
        private_key_pem: key.private_key_pem,
        certificate: key.certificate,
        created_at: key.created_at,
        status_changed_at: key.status_changed_at,
      };
      await withUniqueViolation(db.insertInto('signing_keys').values(row).execute());
    },

    async transition(kid, from, to, at) {
      const result = await db
        .updateTable('signing_keys')
        .set({ status: to, status_changed_at: at })
        .where('kid', '=', kid)
        .where('status', '=', from)
        .executeTakeFirst();
      return rowCount(result.numUpdatedRows) === 1;
    },

    async version() {
      const row = await db
        .selectFrom('storage_meta')
        .select('value')
        .where('name', '=', 'signing_keys_version')
        .executeTakeFirstOrThrow();
      return String(row.value);
    },
  };
}

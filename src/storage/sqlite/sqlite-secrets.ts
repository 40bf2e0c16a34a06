/**
 * @module storage/sqlite/sqlite-secrets
 *
 * {@link SecretStore} over the `secrets` table. `getOrCreate` is an
 * `INSERT … ON CONFLICT (name) DO NOTHING RETURNING value`: a row comes back only to the caller
 * whose candidate was stored. Every other caller reads the stored value, which can no longer
 * change (secrets are never updated or deleted), so all of them get the same one.
 */
import type { Kysely } from 'kysely';
import type { SecretStore } from '../storage.js';
import type { Database } from './schema.js';

/** A {@link SecretStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteSecrets(db: Kysely<Database>): SecretStore {
  return {
    async getOrCreate(name, candidate) {
      const inserted = await db
        .insertInto('secrets')
        .values({ name, value: candidate })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('value')
        .executeTakeFirst();
      if (inserted !== undefined) return inserted.value;
      const stored = await db
        .selectFrom('secrets')
        .select('value')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return stored.value;
    },
  };
}

/**
 * @module storage/sqlite/sqlite-guardian
 *
 * {@link GuardianStore} over the single-row `guardian_settings` table (lists as JSON text).
 */
import type { Kysely } from 'kysely';
import type { GuardianSettings } from '../models.js';
import type { GuardianStore } from '../storage.js';
import { fromJson, toJson } from './columns.js';
import type { Database } from './schema.js';

const SETTINGS_ROW = 1;

/** A {@link GuardianStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteGuardian(db: Kysely<Database>): GuardianStore {
  return {
    async get() {
      const row = await db
        .selectFrom('guardian_settings')
        .select(['policies', 'factors'])
        .where('id', '=', SETTINGS_ROW)
        .executeTakeFirst();
      if (!row) return { policies: [], factors: [] };
      return {
        policies: fromJson<GuardianSettings['policies']>(row.policies),
        factors: fromJson<GuardianSettings['factors']>(row.factors),
      };
    },

    async put(settings) {
      const row = { policies: toJson(settings.policies), factors: toJson(settings.factors) };
      await db
        .insertInto('guardian_settings')
        .values({ id: SETTINGS_ROW, ...row })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
    },
  };
}

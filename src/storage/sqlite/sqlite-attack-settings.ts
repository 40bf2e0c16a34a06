/**
 * @module storage/sqlite/sqlite-attack-settings
 *
 * {@link AttackSettingsStore} over the single-row `attack_protection_settings` table (JSON).
 */
import type { Kysely } from 'kysely';
import type { AttackProtectionSettings } from '../models.js';
import type { AttackSettingsStore } from '../storage.js';
import { fromJson, toJson } from './columns.js';
import type { Database } from './schema.js';

const ROW = 1;

/** An {@link AttackSettingsStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteAttackSettings(db: Kysely<Database>): AttackSettingsStore {
  return {
    async get() {
      const row = await db
        .selectFrom('attack_protection_settings')
        .select('settings')
        .where('id', '=', ROW)
        .executeTakeFirst();
      return row ? fromJson<AttackProtectionSettings>(row.settings) : null;
    },

    async put(settings) {
      const text = toJson(settings);
      await db
        .insertInto('attack_protection_settings')
        .values({ id: ROW, settings: text })
        .onConflict((oc) => oc.column('id').doUpdateSet({ settings: text }))
        .execute();
    },
  };
}

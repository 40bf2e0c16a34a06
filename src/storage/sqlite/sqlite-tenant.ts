/**
 * @module storage/sqlite/sqlite-tenant
 *
 * {@link TenantSettingsStore} over the single-row `tenant_settings` table.
 */
import type { Kysely } from 'kysely';
import type { TenantSettings } from '../models.js';
import type { TenantSettingsStore } from '../storage.js';
import type { Database } from './schema.js';

const SETTINGS_ROW = 1;

/** What `get()` returns before anything was written (the first migration seeds this row). */
const defaultSettings: Readonly<TenantSettings> = {
  default_directory: null,
  default_audience: null,
  friendly_name: 'Latchkey',
  resource_parameter_profile: 'audience',
};

/** A {@link TenantSettingsStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteTenantSettings(db: Kysely<Database>): TenantSettingsStore {
  return {
    async get() {
      const row = await db
        .selectFrom('tenant_settings')
        .select([
          'default_directory',
          'default_audience',
          'friendly_name',
          'resource_parameter_profile',
        ])
        .where('id', '=', SETTINGS_ROW)
        .executeTakeFirst();
      return row ?? { ...defaultSettings };
    },

    async put(settings) {
      const row = {
        default_directory: settings.default_directory,
        default_audience: settings.default_audience,
        friendly_name: settings.friendly_name,
        resource_parameter_profile: settings.resource_parameter_profile,
      };
      await db
        .insertInto('tenant_settings')
        .values({ id: SETTINGS_ROW, ...row })
        .onConflict((oc) => oc.column('id').doUpdateSet(row))
        .execute();
    },
  };
}

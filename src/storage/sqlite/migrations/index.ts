/**
 * @module storage/sqlite/migrations
 *
 * Every SQLite migration, keyed by the name kysely records in `kysely_migration`. Names sort in
 * the order they run, so a new migration takes the next number (`0002_…`). The record is
 * handed to kysely's `Migrator` through a static provider: the code is compiled to `dist/`,
 * where a file-system provider would find no `.sql` files.
 */
import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001_initial.js';
import { refreshTokens } from './0002_refresh_tokens.js';
import { attackProtection } from './0003_attack_protection.js';
import { mfa } from './0004_mfa.js';
import { dpop } from './0005_dpop.js';
import { passwordHashStarts } from './0006_password_hash_starts.js';

/** The migrations, by name. Released entries are never renamed, edited or removed. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_refresh_tokens': refreshTokens,
  '0003_attack_protection': attackProtection,
  '0004_mfa': mfa,
  '0005_dpop': dpop,
  '0006_password_hash_starts': passwordHashStarts,
};

/** A kysely `MigrationProvider` that serves {@link migrations}. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};

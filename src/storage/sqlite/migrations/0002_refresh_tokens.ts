/**
 * @module storage/sqlite/migrations/0002_refresh_tokens
 *
 * Refresh tokens and what they need: the clients' refresh-token policy and browser origins,
 * client grants, refresh tokens and server-side secrets. Like every migration it is a frozen
 * snapshot: the default policy below is a literal copy of `DEFAULT_REFRESH_TOKEN_POLICY` as
 * released, so clients stored before this migration read back with that policy.
 */
import { type Kysely, type Migration, sql } from 'kysely';

/** `DEFAULT_REFRESH_TOKEN_POLICY` at the time of this migration, as JSON text. */
const DEFAULT_POLICY_JSON = JSON.stringify({
  rotation_type: 'non-rotating',
  expiration_type: 'non-expiring',
  leeway: 0,
  token_lifetime: 2_592_000,
  infinite_token_lifetime: false,
  idle_token_lifetime: 1_296_000,
  infinite_idle_token_lifetime: false,
});

const EMPTY_LIST_JSON = '[]';

async function addClientColumns(db: Kysely<unknown>): Promise<void> {
  // SQLite adds one column per ALTER TABLE; a NOT NULL column needs a constant default.
  await db.schema
    .alterTable('clients')
    .addColumn('refresh_token', 'text', (c) => c.notNull().defaultTo(DEFAULT_POLICY_JSON))
    .execute();
  await db.schema
    .alterTable('clients')
    .addColumn('allowed_origins', 'text', (c) => c.notNull().defaultTo(EMPTY_LIST_JSON))
    .execute();
  await db.schema
    .alterTable('clients')
    .addColumn('web_origins', 'text', (c) => c.notNull().defaultTo(EMPTY_LIST_JSON))
    .execute();
}

async function createClientGrantsTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('client_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('client_grants_client_audience')
    .on('client_grants')
    .columns(['client_id', 'audience'])
    .unique()
    .execute();
}

async function createRefreshTokensTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('audience', 'text')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer')
    .addColumn('idle_expires_at', 'integer')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('active', 'rotated', 'revoked')`),
    )
    .addColumn('rotated_at', 'integer')
    .addColumn('successor_hash', 'text')
    .addColumn('leeway_used', 'integer', (c) => c.notNull().check(sql`leeway_used in (0, 1)`))
    .execute();
  await db.schema
    .createIndex('refresh_tokens_family_id')
    .on('refresh_tokens')
    .column('family_id')
    .execute();
  await db.schema
    .createIndex('refresh_tokens_user_id')
    .on('refresh_tokens')
    .column('user_id')
    .execute();
  // Tokens that never expire (null) are left out of the purge indexes.
  await sql`create index refresh_tokens_expires_at on refresh_tokens (expires_at)
    where expires_at is not null`.execute(db);
  await sql`create index refresh_tokens_idle_expires_at on refresh_tokens (idle_expires_at)
    where idle_expires_at is not null`.execute(db);
}

async function createSecretsTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

/** Adds the client refresh-token columns and the grant, refresh-token and secret tables. */
export const refreshTokens: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await addClientColumns(db);
    await createClientGrantsTable(db);
    await createRefreshTokensTable(db);
    await createSecretsTable(db);
  },
};

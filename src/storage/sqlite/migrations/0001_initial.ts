/**
 * @module storage/sqlite/migrations/0001_initial
 *
 * The first schema: one table per store of `storage.ts`, the tenant-settings row and the
 * signing-key version counter. A migration is a frozen snapshot: it takes `Kysely<unknown>`,
 * never the current `Database` type, and is never edited once released.
 */
import { type Kysely, type Migration, sql } from 'kysely';

async function createTenantSettingsTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenant_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('default_directory', 'text')
    .addColumn('default_audience', 'text')
    .addColumn('friendly_name', 'text', (c) => c.notNull())
    .addColumn('resource_parameter_profile', 'text', (c) =>
      c.notNull().check(sql`resource_parameter_profile in ('audience', 'compatibility')`),
    )
    .execute();
  await sql`insert into tenant_settings (id, default_directory, default_audience, friendly_name,
    resource_parameter_profile) values (1, null, null, 'Latchkey', 'audience')`.execute(db);
}

async function createDirectoryTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('app_type', 'text', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('token_endpoint_auth_method', 'text', (c) => c.notNull())
    .addColumn('client_secret_hash', 'text')
    .addColumn('client_authentication_methods', 'text')
    .addColumn('is_token_endpoint_ip_header_trusted', 'integer', (c) => c.notNull())
    .addColumn('jwt_configuration', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('connections')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('strategy', 'text', (c) => c.notNull())
    .addColumn('enabled_clients', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('resource_servers')
    .addColumn('identifier', 'text', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('token_lifetime', 'integer', (c) => c.notNull())
    .addColumn('allow_offline_access', 'integer', (c) => c.notNull())
    .addColumn('signing_alg', 'text', (c) => c.notNull())
    .addColumn('token_dialect', 'text', (c) => c.notNull())
    .execute();
}

async function createUsersTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('connection', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('email_lower', 'text')
    .addColumn('username', 'text')
    .addColumn('username_lower', 'text')
    .addColumn('email_verified', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('given_name', 'text')
    .addColumn('family_name', 'text')
    .addColumn('nickname', 'text')
    .addColumn('picture', 'text')
    .addColumn('app_metadata', 'text', (c) => c.notNull())
    .addColumn('user_metadata', 'text', (c) => c.notNull())
    .addColumn('blocked', 'integer', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index users_connection_email on users (connection, email_lower)
    where email_lower is not null`.execute(db);
  await sql`create unique index users_connection_username on users (connection, username_lower)
    where username_lower is not null`.execute(db);
}

async function createSigningKeysTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('next', 'current', 'previous', 'retired')`),
    )
    .addColumn('private_key_pem', 'text', (c) => c.notNull())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('status_changed_at', 'text', (c) => c.notNull())
    .execute();

  // The version moves inside the very statement that inserts a key or changes its status.
  await db.schema
    .createTable('storage_meta')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute();
  await sql`insert into storage_meta (name, value) values ('signing_keys_version', 0)`.execute(db);
  await sql`create trigger signing_keys_version_on_insert after insert on signing_keys
    begin
      update storage_meta set value = value + 1 where name = 'signing_keys_version';
    end`.execute(db);
  await sql`create trigger signing_keys_version_on_status after update of status on signing_keys
    when old.status is not new.status
    begin
      update storage_meta set value = value + 1 where name = 'signing_keys_version';
    end`.execute(db);
}

async function createExpiringTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('access_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_tokens_expires_at')
    .on('access_tokens')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('replay')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('replay_expires_at').on('replay').column('expires_at').execute();

  await db.schema
    .createTable('counters')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('counters_expires_at').on('counters').column('expires_at').execute();
}

/** Creates every table of the first release. */
export const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createTenantSettingsTable(db);
    await createDirectoryTables(db);
    await createUsersTable(db);
    await createSigningKeysTable(db);
    await createExpiringTables(db);
  },
};

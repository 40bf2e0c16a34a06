/**
 * @module storage/sqlite/migrations/0004_mfa
 *
 * MFA step-up: Guardian settings (one row), authenticators, `mfa_token`s, emailed
 * out-of-band challenges and the development mail outbox (the budget of wrong codes lives in
 * `rate_buckets`, migration 0003).
 * A frozen snapshot like every migration.
 */
import { type Kysely, type Migration, sql } from 'kysely';

async function createSettingsAndAuthenticators(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('guardian_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('policies', 'text', (c) => c.notNull())
    .addColumn('factors', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mfa_authenticators')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('otp', 'email', 'recovery-code')`),
    )
    .addColumn('active', 'integer', (c) => c.notNull().check(sql`active in (0, 1)`))
    .addColumn('otp_secret_sealed', 'text')
    .addColumn('email', 'text')
    .addColumn('recovery_code_hash', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mfa_authenticators_user_id')
    .on('mfa_authenticators')
    .column('user_id')
    .execute();
}

async function createTokensAndChallenges(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mfa_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('audience', 'text')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('gty', 'text', (c) => c.notNull())
    .addColumn('jkt', 'text')
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('consumed', 'integer', (c) => c.notNull().check(sql`consumed in (0, 1)`))
    .execute();
  await db.schema
    .createIndex('mfa_tokens_expires_at')
    .on('mfa_tokens')
    .column('expires_at')
    .execute();
  await db.schema
    .createTable('mfa_oob_challenges')
    .addColumn('oob_code_hash', 'text', (c) => c.primaryKey())
    .addColumn('mfa_token_hash', 'text', (c) => c.notNull())
    .addColumn('authenticator_id', 'text', (c) => c.notNull())
    .addColumn('binding_code_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('consumed', 'integer', (c) => c.notNull().check(sql`consumed in (0, 1)`))
    .execute();
  await db.schema
    .createIndex('mfa_oob_challenges_expires_at')
    .on('mfa_oob_challenges')
    .column('expires_at')
    .execute();
}

async function createOutbox(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_recipient').on('outbox').column('recipient').execute();
}

/** Creates the MFA tables. */
export const mfa: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createSettingsAndAuthenticators(db);
    await createTokensAndChallenges(db);
    await createOutbox(db);
  },
};

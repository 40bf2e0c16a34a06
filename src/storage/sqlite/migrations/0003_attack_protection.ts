/**
 * @module storage/sqlite/migrations/0003_attack_protection
 *
 * Attack protection: settings, login gates (brute-force counters and reservations), GCRA
 * buckets, unblock tickets (the link itself is mailed), and the tenant log. A trigger deletes a user's
 * gates whenever the user's password hash changes, whichever path wrote it.
 */
import { type Kysely, type Migration, sql } from 'kysely';

async function createGates(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_gates')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('pair', 'account')`))
    .addColumn('user_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('in_flight', 'integer', (c) => c.notNull())
    .addColumn('lease_until', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'integer')
    .addColumn('locked_until', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_gates_user_id').on('login_gates').column('user_id').execute();
  await sql`create trigger users_password_change_clears_gates
    after update of password_hash on users
    when old.password_hash is not new.password_hash
    begin delete from login_gates where user_id = new.user_id; end`.execute(db);
  await db.schema
    .createTable('rate_buckets')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('tat', 'integer', (c) => c.notNull())
    .execute();
}

async function createUnblockTickets(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('unblock_tickets')
    .addColumn('ticket_hash', 'text', (c) => c.primaryKey())
    .addColumn('gate_key', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute();
}

async function createLogEvents(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('log_events')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('log_id', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('client_ip', 'text')
    .addColumn('user_id', 'text')
    .addColumn('user_name', 'text')
    .addColumn('connection', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('log_events_date').on('log_events').column('date').execute();
  await db.schema.createIndex('log_events_type').on('log_events').column('type').execute();
}

/** Creates the attack-protection tables and the password-change trigger. */
export const attackProtection: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('attack_protection_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('settings', 'text', (c) => c.notNull())
      .execute();
    await createGates(db);
    await createUnblockTickets(db);
    await createLogEvents(db);
  },
};

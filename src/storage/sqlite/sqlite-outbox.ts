/**
 * @module storage/sqlite/sqlite-outbox
 *
 * {@link OutboxStore} over the `outbox` table (the development mail outbox).
 */
import { type Kysely, sql } from 'kysely';
import type { OutboxStore } from '../storage.js';
import type { Database } from './schema.js';

/** An {@link OutboxStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteOutbox(db: Kysely<Database>): OutboxStore {
  return {
    async insert(message) {
      const { to, ...rest } = message;
      await db
        .insertInto('outbox')
        .values({ ...rest, recipient: to })
        .execute();
    },

    async list(to) {
      let query = db.selectFrom('outbox').selectAll().orderBy('created_at').orderBy(sql`rowid`);
      if (to !== undefined) query = query.where('recipient', '=', to);
      const rows = await query.execute();
      return rows.map(({ recipient, ...rest }) => ({ ...rest, to: recipient }));
    },
  };
}

/**
 * @module storage/sqlite/sqlite-unblock-tickets
 *
 * {@link UnblockTicketStore} over `unblock_tickets`. Spending a ticket is one
 * `delete … returning`, so a ticket works once however many requests race for it.
 */
import type { Kysely } from 'kysely';
import type { UnblockTicketStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';

/** An {@link UnblockTicketStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteUnblockTickets(db: Kysely<Database>): UnblockTicketStore {
  return {
    async insert(ticket) {
      await db.insertInto('unblock_tickets').values(ticket).execute();
    },

    async consume(ticketHash, now) {
      const row = await db
        .deleteFrom('unblock_tickets')
        .where('ticket_hash', '=', ticketHash)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      return row ?? null;
    },

    async purgeExpired(now) {
      const result = await db
        .deleteFrom('unblock_tickets')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

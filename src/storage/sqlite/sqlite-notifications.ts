/**
 * @module storage/sqlite/sqlite-notifications
 *
 * {@link NotificationStore} over `unblock_tickets` and `notification_outbox`. Spending a ticket
 * is one `delete … returning`, so a ticket works once however many requests race for it.
 */
import type { Kysely } from 'kysely';
import type { NotificationStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';

/** A {@link NotificationStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteNotifications(db: Kysely<Database>): NotificationStore {
  return {
    async enqueueUnblock(ticket, message) {
      await db.insertInto('unblock_tickets').values(ticket).execute();
      await db.insertInto('notification_outbox').values(message).execute();
    },

    async consumeTicket(ticketHash, now) {
      const row = await db
        .deleteFrom('unblock_tickets')
        .where('ticket_hash', '=', ticketHash)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      return row ?? null;
    },

    async outbox() {
      return db
        .selectFrom('notification_outbox')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute();
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

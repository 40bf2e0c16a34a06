/**
 * @module storage/sqlite/sqlite-log-events
 *
 * {@link LogEventStore} over `log_events`; `details` is JSON text.
 */
import type { Kysely, Selectable } from 'kysely';
import type { LogEvent } from '../models.js';
import type { LogEventStore } from '../storage.js';
import { fromJson, rowCount, toJson } from './columns.js';
import type { Database, LogEventsTable } from './schema.js';

const DEFAULT_LIMIT = 100;

function fromRow({ seq: _seq, details, ...row }: Selectable<LogEventsTable>): LogEvent {
  return { ...row, details: fromJson<Record<string, unknown>>(details) };
}

/** A {@link LogEventStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteLogEvents(db: Kysely<Database>): LogEventStore {
  return {
    async record(event) {
      await db
        .insertInto('log_events')
        .values({ ...event, details: toJson(event.details) })
        .execute();
    },

    async list(options = {}) {
      let query = db.selectFrom('log_events').selectAll();
      if (options.type !== undefined) query = query.where('type', '=', options.type);
      const rows = await query
        .orderBy('seq', 'desc')
        .limit(options.limit ?? DEFAULT_LIMIT)
        .execute();
      return rows.map(fromRow);
    },

    async purgeBefore(date) {
      const result = await db.deleteFrom('log_events').where('date', '<', date).executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

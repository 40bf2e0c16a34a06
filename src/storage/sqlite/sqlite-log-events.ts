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
/**
 * Rows per multi-row `INSERT`: each row count is its own SQL text (and cached statement), so
 * a batch goes in as chunks of at most this many.
 */
const ROWS_PER_INSERT = 16;

function fromRow({ seq: _seq, details, ...row }: Selectable<LogEventsTable>): LogEvent {
  return { ...row, details: fromJson<Record<string, unknown>>(details) };
}

/** Inserts `events` in order, {@link ROWS_PER_INSERT} rows per statement. */
async function insertRows(db: Kysely<Database>, events: readonly LogEvent[]): Promise<void> {
  for (let at = 0; at < events.length; at += ROWS_PER_INSERT) {
    const rows = events
      .slice(at, at + ROWS_PER_INSERT)
      .map((event) => ({ ...event, details: toJson(event.details) }));
    await db.insertInto('log_events').values(rows).execute();
  }
}

/** A {@link LogEventStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteLogEvents(db: Kysely<Database>): LogEventStore {
  return {
    record: (event) => insertRows(db, [event]),

    async recordMany(events) {
      if (events.length <= ROWS_PER_INSERT || db.isTransaction) return insertRows(db, events);
      await db.transaction().execute((trx) => insertRows(trx, events));
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

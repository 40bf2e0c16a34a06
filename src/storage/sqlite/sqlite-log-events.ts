/**
 * @module storage/sqlite/sqlite-log-events
 *
 * {@link LogEventStore} over `log_events`; `details` is JSON text. Recording is on every login
 * (in batches: see `storage/log-event-buffer`), so it runs as fixed SQL through a
 * {@link SqlRunner} (ADR 0016).
 */
import type { Kysely, Selectable } from 'kysely';
import type { LogEvent } from '../models.js';
import type { LogEventStore } from '../storage.js';
import { fromJson, rowCount, toJson } from './columns.js';
import type { Database, LogEventsTable } from './schema.js';
import type { SqlRunner, SqlStatement, SqlValue } from './sql-runner.js';

const DEFAULT_LIMIT = 100;
/**
 * Rows per multi-row `INSERT`: each row count is its own SQL text (and prepared statement), so
 * a batch goes in as chunks of at most this many.
 */
const ROWS_PER_INSERT = 16;
const COLUMNS = [
  'log_id',
  'type',
  'date',
  'description',
  'client_id',
  'ip',
  'client_ip',
  'user_id',
  'user_name',
  'connection',
  'details',
] as const;
const ROW = `(${COLUMNS.map(() => '?').join(', ')})`;

function fromRow({ seq: _seq, details, ...row }: Selectable<LogEventsTable>): LogEvent {
  return { ...row, details: fromJson<Record<string, unknown>>(details) };
}

/** One event's values, in {@link COLUMNS} order. */
function rowValues(event: LogEvent): SqlValue[] {
  return COLUMNS.map((column) =>
    column === 'details' ? toJson(event.details) : (event[column] ?? null),
  );
}

/** `events` as `INSERT` statements of at most {@link ROWS_PER_INSERT} rows, in order. */
function insertStatements(events: readonly LogEvent[]): SqlStatement[] {
  const statements: SqlStatement[] = [];
  for (let at = 0; at < events.length; at += ROWS_PER_INSERT) {
    const chunk = events.slice(at, at + ROWS_PER_INSERT);
    const values = chunk.map(() => ROW).join(', ');
    const sql = `insert into log_events (${COLUMNS.join(', ')}) values ${values}`;
    statements.push([sql, chunk.flatMap(rowValues)]);
  }
  return statements;
}

/**
 * A {@link LogEventStore} that runs its queries on `db` (a database or a transaction), the
 * inserts through `runner`.
 */
export function sqliteLogEvents(db: Kysely<Database>, runner: SqlRunner): LogEventStore {
  const recordMany = (events: readonly LogEvent[]) => runner.runAll(insertStatements(events));
  return {
    record: (event) => recordMany([event]),
    recordMany,

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

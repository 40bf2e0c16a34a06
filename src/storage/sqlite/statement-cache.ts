/**
 * @module storage/sqlite/statement-cache
 *
 * better-sqlite3 compiles a statement anew on every `prepare(sql)`, and both kysely's SQLite
 * driver and the login path's runner (sql-runner.ts) would ask for one per query. Queries are
 * built from a fixed set of shapes with bound parameters, so the compiled statements are kept
 * and reused, one cache per connection shared by both: {@link cachedPrepare} memoises `prepare`
 * by SQL text. Safe because statements run synchronously, one at a time on the connection, and
 * SQLite re-prepares a statement by itself after a schema change.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Distinct SQL texts kept; past it the cache starts over (a safety bound, never reached). */
const MAX_STATEMENTS = 500;

/** A `prepare` for the values the storage binds. */
export type Prepare = (sql: string) => BetterSqlite3.Statement<unknown[]>;

/** `database.prepare`, memoised by SQL text. */
export function cachedPrepare(database: BetterSqlite3.Database): Prepare {
  const statements = new Map<string, BetterSqlite3.Statement<unknown[]>>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statement = database.prepare<unknown[]>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

/** `database` as kysely's driver sees it, preparing through `prepare`. */
export function withStatementCache(
  database: BetterSqlite3.Database,
  prepare: Prepare,
): SqliteDatabase {
  return { close: () => database.close(), prepare };
}

/**
 * @module storage/sqlite/statement-cache
 *
 * kysely's SQLite driver calls `prepare(sql)` for every query, and better-sqlite3 compiles
 * each one anew. Queries are built from a fixed set of shapes with bound parameters, so the
 * compiled statements can be kept and reused: this wrapper memoises `prepare` by SQL text.
 * Safe because kysely runs one query at a time on the connection and SQLite re-prepares a
 * statement by itself after a schema change.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept; past it the cache starts over (a safety bound, never reached). */
const MAX_STATEMENTS = 500;

export function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement === undefined) {
        if (statements.size >= MAX_STATEMENTS) statements.clear();
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * @module storage/sqlite/sql-runner
 *
 * How the statements of the login path run (ADR 0016). They are fixed SQL texts with
 * positional parameters, written once in their stores, and a {@link SqlRunner} executes them:
 * - {@link directRunner}, for the outer storage: on better-sqlite3 itself, prepared once,
 *   whenever no transaction holds the connection. A login then skips kysely's query builder,
 *   compiler and connection queue (about a third of what a login allocated). While a
 *   transaction is open (another request's `storage.transaction`), the statement goes through
 *   kysely instead, which queues it behind that transaction: run at once it would join it.
 * - {@link kyselyRunner}, for a transaction's `tx` (and that fallback): the same SQL through
 *   kysely on the transaction or database it is given.
 * Every value is a bound parameter, never SQL text.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A value SQLite binds. */
export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = readonly SqlValue[];
/** One statement with its parameters. */
export type SqlStatement = readonly [sql: string, params: SqlParams];

export interface SqlRunner {
  /** The first row `sql` returns, if any. The caller's SQL vouches for the row type `R`. */
  get<R>(sql: string, params: SqlParams): Promise<R | undefined>;
  /** Runs a statement that returns no rows; resolves to the number of rows changed. */
  run(sql: string, params: SqlParams): Promise<number>;
  /** Runs `statements` in order, all or none (in the open transaction, if this is one). */
  runAll(statements: readonly SqlStatement[]): Promise<void>;
}

/** Runs the statements through kysely on `db`, a database or one open transaction. */
export function kyselyRunner(db: Kysely<Database>): SqlRunner {
  const execute = (on: Kysely<Database>, [sql, params]: SqlStatement) =>
    on.executeQuery(CompiledQuery.raw(sql, [...params]));
  const inOrder = async (on: Kysely<Database>, statements: readonly SqlStatement[]) => {
    for (const statement of statements) await execute(on, statement);
  };
  return {
    async get<R>(sql: string, params: SqlParams) {
      return (await execute(db, [sql, params])).rows[0] as R | undefined;
    },
    async run(sql, params) {
      return Number((await execute(db, [sql, params])).numAffectedRows ?? 0n);
    },
    async runAll(statements) {
      if (db.isTransaction) return inOrder(db, statements);
      await db.transaction().execute((trx) => inOrder(trx, statements));
    },
  };
}

/** Calls `fn` now, as a promise (a throw becomes a rejection). */
function settled<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Runs the statements on `database` directly while no transaction is open on it; otherwise
 * checks `assertOutside` (a call from inside a transaction's callback through the outer
 * storage is a bug, not something to wait for) and hands them to `queued`.
 */
export function directRunner(
  database: BetterSqlite3.Database,
  queued: SqlRunner,
  assertOutside: () => void,
): SqlRunner {
  const statements = new Map<string, BetterSqlite3.Statement<SqlValue[]>>();
  const prepared = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare<SqlValue[]>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const busy = () => {
    if (!database.inTransaction) return false;
    assertOutside();
    return true;
  };
  const runAll = database.transaction((list: readonly SqlStatement[]) => {
    for (const [sql, params] of list) prepared(sql).run(...params);
  });
  return {
    get<R>(sql: string, params: SqlParams) {
      if (busy()) return queued.get<R>(sql, params);
      return settled(() => prepared(sql).get(...params) as R | undefined);
    },
    run(sql, params) {
      if (busy()) return queued.run(sql, params);
      return settled(() => prepared(sql).run(...params).changes);
    },
    runAll(list) {
      if (busy()) return queued.runAll(list);
      return settled(() => runAll(list));
    },
  };
}

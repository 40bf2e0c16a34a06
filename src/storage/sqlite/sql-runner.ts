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
import { whileBusy } from './busy-wait.js';
import type { Database } from './schema.js';
import type { Prepare } from './statement-cache.js';

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
  /**
   * Runs `statements` in order, all or none (in the open transaction, if this is one; a single
   * statement is atomic by itself and runs without one).
   */
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
      if (db.isTransaction || statements.length <= 1) return inOrder(db, statements);
      await db.transaction().execute((trx) => inOrder(trx, statements));
    },
  };
}

/**
 * Runs the statements on `database` directly (compiled through `prepare`, the connection's
 * statement cache) while no transaction is open on it; otherwise checks `assertOutside` (a call
 * from inside a transaction's callback through the outer storage is a bug, not something to
 * wait for) and hands them to `queued`.
 */
export function directRunner(
  database: BetterSqlite3.Database,
  prepare: Prepare,
  queued: SqlRunner,
  assertOutside: () => void,
): SqlRunner {
  const busy = () => {
    if (!database.inTransaction) return false;
    assertOutside();
    return true;
  };
  const inTransaction = database.transaction((list: readonly SqlStatement[]) => {
    for (const [sql, params] of list) prepare(sql).run(...params);
  }).immediate;
  const runAll = (list: readonly SqlStatement[]) => {
    const [only] = list;
    if (list.length === 1 && only) prepare(only[0]).run(...only[1]);
    else if (list.length > 1) inTransaction(list);
  };
  // whileBusy: a statement refused while another process holds the write lock is tried again
  // after a timer (busy-wait.ts), each time deciding anew whether a transaction holds the
  // connection; async: a refusal from `assertOutside` or a SQLite error becomes a rejection
  return {
    get<R>(sql: string, params: SqlParams) {
      return whileBusy(() =>
        busy() ? queued.get<R>(sql, params) : (prepare(sql).get(...params) as R | undefined),
      );
    },
    run(sql, params) {
      return whileBusy(() =>
        busy() ? queued.run(sql, params) : prepare(sql).run(...params).changes,
      );
    },
    runAll(list) {
      return whileBusy(() => (busy() ? queued.runAll(list) : runAll(list)));
    },
  };
}

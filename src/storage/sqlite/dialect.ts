/**
 * @module storage/sqlite/dialect
 *
 * kysely's `SqliteDialect` with three changes:
 *
 * - a statement refused with `SQLITE_BUSY` is tried again after a timer, not inside SQLite's
 *   busy handler on the main thread (`busy-wait.ts`);
 * - transactions start with `BEGIN IMMEDIATE`, which takes the write lock up front. A deferred
 *   `BEGIN` that reads and then writes fails at once with `SQLITE_BUSY` (the busy timeout does
 *   not apply) when another process, such as the CLI, committed in between;
 * - the adapter declares transactional DDL (SQLite has it), so kysely's `Migrator` runs each
 *   batch of migrations in one transaction and a crash never leaves half a schema.
 */
import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import { whileBusy } from './busy-wait.js';

/** The one connection, its statements tried again while the write lock is held elsewhere. */
class BusyWaitingConnection implements DatabaseConnection {
  readonly #inner: DatabaseConnection;

  constructor(inner: DatabaseConnection) {
    this.#inner = inner;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return whileBusy(() => this.#inner.executeQuery<R>(query));
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.#inner.streamQuery<R>(query, chunkSize);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  #connection: BusyWaitingConnection | undefined;

  override async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await super.acquireConnection();
    this.#connection ??= new BusyWaitingConnection(inner);
    return this.#connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** The dialect Latchkey's SQLite storage runs on. */
export class LatchkeySqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

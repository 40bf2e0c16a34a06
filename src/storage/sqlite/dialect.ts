/**
 * @module storage/sqlite/dialect
 *
 * kysely's `SqliteDialect` with two changes:
 *
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
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
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

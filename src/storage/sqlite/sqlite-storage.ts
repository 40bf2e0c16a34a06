/**
 * @module storage/sqlite/sqlite-storage
 *
 * The embedded SQLite engine: better-sqlite3 under kysely. One process holds one connection
 * (kysely queues queries on it); other processes, such as the CLI, share the file through WAL.
 * A statement that finds the write lock held by another process is tried again after a timer
 * for up to 5 s (`busy-wait.ts`), so the event loop never waits for the lock.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import type { Storage } from '../storage.js';
import { LatchkeySqliteDialect } from './dialect.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { directRunner, kyselyRunner, type SqlRunner } from './sql-runner.js';
import { sqliteAccessTokens } from './sqlite-access-tokens.js';
import { sqliteAttackSettings } from './sqlite-attack-settings.js';
import { sqliteAuthenticators } from './sqlite-authenticators.js';
import { sqliteClientGrants } from './sqlite-client-grants.js';
import { sqliteClients } from './sqlite-clients.js';
import { sqliteConnections } from './sqlite-connections.js';
import { sqliteCounters } from './sqlite-counters.js';
import { sqliteDpopProofs } from './sqlite-dpop-proofs.js';
import { sqliteGuardian } from './sqlite-guardian.js';
import { sqliteLogEvents } from './sqlite-log-events.js';
import { sqliteLoginGates } from './sqlite-login-gates.js';
import { sqliteMfaTokens } from './sqlite-mfa-tokens.js';
import { sqliteOobChallenges } from './sqlite-oob-challenges.js';
import { sqliteOutbox } from './sqlite-outbox.js';
import { sqliteRateBuckets } from './sqlite-rate-buckets.js';
import { sqliteRefreshTokens } from './sqlite-refresh-tokens.js';
import { sqliteReplay } from './sqlite-replay.js';
import { sqliteResourceServers } from './sqlite-resource-servers.js';
import { sqliteSecrets } from './sqlite-secrets.js';
import { sqliteSigningKeys } from './sqlite-signing-keys.js';
import { sqliteTenantSettings } from './sqlite-tenant.js';
import { sqliteUnblockTickets } from './sqlite-unblock-tickets.js';
import { sqliteUsers } from './sqlite-users.js';
import { cachedPrepare, withStatementCache } from './statement-cache.js';
import { TransactionGuard } from './transaction-guard.js';

const ENGINE = 'sqlite';
const MEMORY = ':memory:';

export interface SqliteStorageOptions {
  /** Database file (its directory is created when missing), or `:memory:`. */
  path: string;
}

/** Stores bound to `db`, the database itself or one open transaction. */
type Stores = Omit<Storage, 'engine' | 'transaction' | 'close'>;

/** The stores on `db`; the login path's statements run through `runner` (ADR 0016). */
function storesOn(db: Kysely<Database>, runner: SqlRunner): Stores {
  return {
    tenant: sqliteTenantSettings(db),
    clients: sqliteClients(db),
    clientGrants: sqliteClientGrants(db),
    connections: sqliteConnections(db),
    resourceServers: sqliteResourceServers(db),
    users: sqliteUsers(db, runner),
    signingKeys: sqliteSigningKeys(db),
    accessTokens: sqliteAccessTokens(db),
    refreshTokens: sqliteRefreshTokens(db),
    secrets: sqliteSecrets(db),
    replay: sqliteReplay(db),
    dpopProofs: sqliteDpopProofs(db),
    counters: sqliteCounters(db),
    attackSettings: sqliteAttackSettings(db),
    loginGates: sqliteLoginGates(db, runner),
    rateBuckets: sqliteRateBuckets(db, runner),
    unblockTickets: sqliteUnblockTickets(db),
    logEvents: sqliteLogEvents(db, runner),
    guardian: sqliteGuardian(db),
    authenticators: sqliteAuthenticators(db),
    mfaTokens: sqliteMfaTokens(db),
    oobChallenges: sqliteOobChallenges(db),
    outbox: sqliteOutbox(db),
  };
}

/** The `tx` handed to a transaction's callback: same stores, no nesting, no closing. */
function transactionStorage(stores: Stores): Storage {
  return {
    engine: ENGINE,
    ...stores,
    transaction: () =>
      Promise.reject(new Error('Storage transactions do not nest: use the tx you were given')),
    close: () => Promise.reject(new Error('Cannot close storage from inside a transaction')),
  };
}

/**
 * A new data directory is private to its owner (0700) and a new database file too (0600; SQLite
 * gives its -wal and -shm files the database's mode): it holds the signing keys. Existing
 * directories and files keep their modes.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
}

function openDatabase(path: string): BetterSqlite3.Database {
  if (path !== MEMORY) createPrivately(path);
  const database = new BetterSqlite3(path);
  try {
    database.pragma('busy_timeout = 5000');
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    // from here on a busy statement is retried after a timer, off SQLite's busy handler, which
    // would wait on the main thread (busy-wait.ts)
    database.pragma('busy_timeout = 0');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error !== undefined) {
    throw new Error('SQLite storage migration failed', { cause: error });
  }
}

/**
 * Opens (creating when missing) the SQLite database at `options.path`, applies pending
 * migrations and returns a {@link Storage} over it. Pragmas: `journal_mode = WAL`,
 * `synchronous = NORMAL`, `foreign_keys = ON`, and `busy_timeout = 0` once they are set
 * (the waiting is `busy-wait.ts`'s).
 *
 * Inside `transaction(fn)` use only the `tx` given to `fn`: the transaction holds this
 * storage's single connection, so the outer storage rejects calls made from inside `fn`
 * (see {@link TransactionGuard}) rather than wait for it forever.
 */
export async function openSqliteStorage(options: SqliteStorageOptions): Promise<Storage> {
  const database = openDatabase(options.path);
  const prepare = cachedPrepare(database);
  const db = new Kysely<Database>({
    dialect: new LatchkeySqliteDialect({ database: withStatementCache(database, prepare) }),
  });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const guard = new TransactionGuard();
  const outer = db.withPlugin(guard);
  const runner = directRunner(database, prepare, kyselyRunner(outer), () => guard.assertOutside());
  return {
    engine: ENGINE,
    ...storesOn(outer, runner),
    transaction: async (fn) => {
      guard.assertOutside();
      return db
        .transaction()
        .execute((trx) =>
          guard.run(() => fn(transactionStorage(storesOn(trx, kyselyRunner(trx))))),
        );
    },
    close: () => db.destroy(),
  };
}

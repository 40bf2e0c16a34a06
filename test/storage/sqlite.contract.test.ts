/**
 * @module test/storage/sqlite.contract.test
 *
 * Runs the storage contract against SQLite, in memory and on disk, plus what only a file
 * can show: data and the migration history survive a close and reopen, and a database made by
 * an earlier release is upgraded in place.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator } from 'kysely';
import {
  aClient,
  aGateRule,
  aLogEvent,
  aRefreshToken,
  aUser,
} from '../../src/storage/contract/fixtures.js';
import { describeStorageContract } from '../../src/storage/contract/storage-contract.js';
import { DEFAULT_REFRESH_TOKEN_POLICY } from '../../src/storage/models.js';
import { LatchkeySqliteDialect } from '../../src/storage/sqlite/dialect.js';
import { migrationProvider } from '../../src/storage/sqlite/migrations/index.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

/** A fresh temporary directory for the tests of the enclosing `describe`, removed after. */
function useTempDir(): () => string {
  let dir: string | null = null;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'latchkey-sqlite-'));
  });
  after(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === null) throw new Error('temp dir used outside a test');
    return dir;
  };
}

/** Every migration's name, in order: what a new or upgraded database records. */
const EVERY_MIGRATION = [
  '0001_initial',
  '0002_refresh_tokens',
  '0003_attack_protection',
  '0004_mfa',
  '0005_dpop',
  '0006_password_hash_starts',
];

interface MigrationRow {
  name: string;
  timestamp: string;
}

/** Reads the SQLite file directly, bypassing the storage. */
function inspect<T>(path: string, read: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Creates `path` with the schema up to migration `last` (the first release's: 0001). */
async function createDatabaseAt(path: string, last = '0001_initial'): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  const db = new Kysely<unknown>({ dialect: new LatchkeySqliteDialect({ database }) });
  try {
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(last);
    if (error !== undefined) throw error;
  } finally {
    await db.destroy();
  }
}

/** Inserts `aClient()` with the columns of the first release. */
function insertReleaseOneClient(path: string): void {
  const client = aClient();
  const database = new BetterSqlite3(path);
  try {
    database
      .prepare(
        `insert into clients (client_id, name, app_type, grant_types, token_endpoint_auth_method,
          client_secret_hash, client_authentication_methods, is_token_endpoint_ip_header_trusted,
          jwt_configuration) values (?, ?, ?, ?, ?, ?, null, 0, ?)`,
      )
      .run(
        client.client_id,
        client.name,
        client.app_type,
        JSON.stringify(client.grant_types),
        client.token_endpoint_auth_method,
        client.client_secret_hash,
        JSON.stringify(client.jwt_configuration),
      );
  } finally {
    database.close();
  }
}

describeStorageContract('sqlite (memory)', () => openSqliteStorage({ path: ':memory:' }));

describe('sqlite transactions', () => {
  it('reject the outer storage inside fn instead of waiting for the connection forever', async () => {
    const storage = await openSqliteStorage({ path: ':memory:' });
    try {
      await storage.transaction(async (tx) => {
        await assert.rejects(storage.clients.get('client-a'), /use the tx passed to fn/);
        await assert.rejects(
          storage.refreshTokens.rotate('rt-1', aRefreshToken({ token_hash: 'rt-2' }), 2000),
          /use the tx passed to fn/,
        );
        await assert.rejects(
          storage.transaction(async () => 1),
          /use the tx passed to fn/,
        );
        await tx.clients.upsert(aClient());
      });
      assert.deepEqual(await storage.clients.get('client-a'), aClient());
    } finally {
      await storage.close();
    }
  });

  it('still reject the outer storage in later transactions (the guard sleeps between them)', async () => {
    const storage = await openSqliteStorage({ path: ':memory:' });
    try {
      for (const name of ['first', 'second', 'third']) {
        await storage.transaction(async (tx) => {
          await assert.rejects(storage.clients.get('client-a'), /use the tx passed to fn/, name);
          await tx.clients.upsert(aClient({ name }));
        });
        assert.equal((await storage.clients.get('client-a'))?.name, name);
      }
      const concurrent = ['a', 'b'].map((name) =>
        storage.transaction(async (tx) => {
          await tx.clients.upsert(aClient({ name }));
          return storage.clients.get('client-a').then(
            () => 'answered',
            (err: Error) => err.message,
          );
        }),
      );
      for (const outcome of await Promise.all(concurrent)) {
        assert.match(outcome, /use the tx passed to fn/);
      }
    } finally {
      await storage.close();
    }
  });
});

describe('sqlite login-path statements (run on the driver directly, ADR 0016)', () => {
  const NOW = 1_000_000;
  const gate = aGateRule(NOW);

  it('reject the outer login-path stores inside fn like every other store', async () => {
    const storage = await openSqliteStorage({ path: ':memory:' });
    try {
      await storage.transaction(async () => {
        const inside = /use the tx passed to fn/;
        await assert.rejects(storage.rateBuckets.take('ip:x', 5, 1000, NOW), inside);
        await assert.rejects(storage.rateBuckets.giveBack('ip:x', 1000, NOW), inside);
        await assert.rejects(storage.users.findByLogin('db', 'ada@example.com'), inside);
        await assert.rejects(storage.loginGates.reserve('g', gate, NOW), inside);
        await assert.rejects(storage.logEvents.record(aLogEvent()), inside);
      });
    } finally {
      await storage.close();
    }
  });

  it('wait for an open transaction instead of joining it, so its rollback spares them', async () => {
    const storage = await openSqliteStorage({ path: ':memory:' });
    try {
      const order: string[] = [];
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const failing = storage.transaction(async (tx) => {
        await tx.users.upsert(aUser());
        await held;
        order.push('transaction rolls back');
        throw new Error('boom');
      });
      await new Promise((resolve) => setImmediate(resolve));
      const take = storage.rateBuckets
        .take('ip:203.0.113.1', 5, 1000, NOW)
        .then(() => order.push('take'));
      const reserve = storage.loginGates.reserve('g', gate, NOW).then(() => order.push('reserve'));
      await new Promise((resolve) => setImmediate(resolve));
      release();
      await assert.rejects(failing, /boom/);
      await Promise.all([take, reserve]);
      assert.deepEqual(order, ['transaction rolls back', 'take', 'reserve']);
      assert.equal(await storage.users.get('auth0|ada'), null, 'the transaction rolled back');
      const second = await storage.rateBuckets.take('ip:203.0.113.1', 5, 1000, NOW);
      assert.equal(second.remaining, 3, 'the first take was kept');
      assert.equal((await storage.loginGates.get('g'))?.in_flight, 1);
    } finally {
      await storage.close();
    }
  });

  it('give the same answers through a transaction (kysely) as outside it (the driver)', async () => {
    const storage = await openSqliteStorage({ path: ':memory:' });
    try {
      await storage.users.upsert(aUser());
      const outside = {
        user: await storage.users.findByLogin(
          'Username-Password-Authentication',
          'ADA@EXAMPLE.COM',
        ),
        take: await storage.rateBuckets.take('a', 2, 1000, NOW),
        reserved: await storage.loginGates.reserve('a', gate, NOW),
        settled: await storage.loginGates.settle('a', 'failure', NOW),
      };
      const inside = await storage.transaction(async (tx) => ({
        user: await tx.users.findByLogin('Username-Password-Authentication', 'ADA@EXAMPLE.COM'),
        take: await tx.rateBuckets.take('b', 2, 1000, NOW),
        reserved: await tx.loginGates.reserve('b', gate, NOW),
        settled: await tx.loginGates.settle('b', 'failure', NOW),
      }));
      assert.deepEqual({ ...inside, settled: { ...inside.settled, key: 'a' } }, outside);
      assert.equal(outside.user?.user_id, 'auth0|ada');
      assert.deepEqual(outside.take, { allowed: true, remaining: 1, nextAt: NOW });
      assert.equal(outside.settled?.failures, 1);
    } finally {
      await storage.close();
    }
  });
});

describe('sqlite on disk', () => {
  const dir = useTempDir();
  let opened = 0;
  // Each test gets its own file, in a directory the storage has to create.
  describeStorageContract('sqlite (file)', () =>
    openSqliteStorage({ path: join(dir(), `db-${++opened}`, 'latchkey.sqlite') }),
  );

  it('keeps data across a reopen without re-applying migrations', async () => {
    const path = join(dir(), 'reopen', 'latchkey.sqlite');
    const first = await openSqliteStorage({ path });
    await first.clients.upsert(aClient());
    await first.users.upsert(aUser());
    await first.close();
    const history = (): MigrationRow[] =>
      inspect(path, (db) =>
        db.prepare('select name, timestamp from kysely_migration order by name').all(),
      ) as MigrationRow[];
    const before = history();
    assert.deepEqual(
      before.map((row) => row.name),
      EVERY_MIGRATION,
    );

    const second = await openSqliteStorage({ path });
    try {
      assert.deepEqual(await second.clients.get('client-a'), aClient());
      assert.deepEqual(
        await second.users.findByLogin(aUser().connection, 'ADA@example.com'),
        aUser(),
      );
    } finally {
      await second.close();
    }
    assert.deepEqual(history(), before);
  });

  it('upgrades a release-one database: old clients get the default policy and no origins', async () => {
    const path = join(dir(), 'upgrade', 'latchkey.sqlite');
    await createDatabaseAt(path);
    insertReleaseOneClient(path);
    const storage = await openSqliteStorage({ path });
    try {
      const client = await storage.clients.get('client-a');
      assert.deepEqual(client, aClient());
      assert.deepEqual(client?.refresh_token, DEFAULT_REFRESH_TOKEN_POLICY);
      assert.deepEqual([client?.allowed_origins, client?.web_origins], [[], []]);
      await storage.refreshTokens.insert(aRefreshToken());
      assert.deepEqual(await storage.refreshTokens.get('rt-1'), aRefreshToken());
    } finally {
      await storage.close();
    }
    const names = inspect(path, (db) =>
      db.prepare('select name from kysely_migration order by name').pluck().all(),
    );
    assert.deepEqual(names, EVERY_MIGRATION);
  });

  it('counts the password hashes of users written before migration 0006 when it runs', async () => {
    const path = join(dir(), 'hash-starts', 'latchkey.sqlite');
    await createDatabaseAt(path, '0005_dpop');
    const database = new BetterSqlite3(path);
    try {
      const insert = database.prepare(
        `insert into users (user_id, connection, email, email_lower, email_verified, app_metadata,
          user_metadata, blocked, password_hash, created_at, updated_at)
          values (?, ?, ?, ?, 0, '{}', '{}', 0, ?, 'then', 'then')`,
      );
      const argon2 = aUser().password_hash;
      const bcrypt = `$2b$10$${'a'.repeat(53)}`;
      const rows = [
        ['db', argon2],
        ['db', argon2],
        ['db', bcrypt],
        ['db', null],
        ['other', bcrypt],
      ] as const;
      for (const [i, [connection, hash]] of rows.entries()) {
        insert.run(`auth0|${i}`, connection, `u${i}@example.com`, `u${i}@example.com`, hash);
      }
    } finally {
      database.close();
    }
    const storage = await openSqliteStorage({ path });
    try {
      const counts = await storage.users.passwordHashProfiles();
      assert.deepEqual(
        counts.sort((a, b) =>
          `${a.connection}${a.profile}`.localeCompare(`${b.connection}${b.profile}`),
        ),
        [
          { connection: 'db', profile: '$2b$10$', users: 1 },
          { connection: 'db', profile: '$argon2id$v=19$m=19456,t=2,p=1$', users: 2 },
          { connection: 'other', profile: '$2b$10$', users: 1 },
        ],
      );
    } finally {
      await storage.close();
    }
  });

  it('leaves the file in WAL mode', async () => {
    const path = join(dir(), 'wal', 'latchkey.sqlite');
    await (await openSqliteStorage({ path })).close();
    const mode = inspect(path, (db) => db.pragma('journal_mode', { simple: true }));
    assert.equal(mode, 'wal');
  });
});

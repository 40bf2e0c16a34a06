/**
 * @module test/storage/sqlite.contract.test
 *
 * Runs the storage contract against SQLite, in memory and on disk, plus what only a file
 * can show: data and the migration history survive a close and reopen.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { aClient, aUser } from '../../src/storage/contract/fixtures.js';
import { describeStorageContract } from '../../src/storage/contract/storage-contract.js';
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

describeStorageContract('sqlite (memory)', () => openSqliteStorage({ path: ':memory:' }));

describe('sqlite transactions', () => {
  it('reject the outer storage inside fn instead of waiting for the connection forever', async () => {
    const storage = await openSqliteStorage({ path: ':memory:' });
    try {
      await storage.transaction(async (tx) => {
        await assert.rejects(storage.clients.get('client-a'), /use the tx passed to fn/);
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
      ['0001_initial'],
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

  it('leaves the file in WAL mode', async () => {
    const path = join(dir(), 'wal', 'latchkey.sqlite');
    await (await openSqliteStorage({ path })).close();
    const mode = inspect(path, (db) => db.pragma('journal_mode', { simple: true }));
    assert.equal(mode, 'wal');
  });
});

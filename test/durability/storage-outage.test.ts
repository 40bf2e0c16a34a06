/**
 * @module test/durability/storage-outage
 *
 * A data store that cannot answer (here: another process holds SQLite's write lock past the
 * busy timeout) fails closed with 503 `temporarily_unavailable` and `Retry-After` (DU-3), not a
 * 500, and the server answers normally once the store is back. Waiting for the lock never
 * stops the event loop: other requests are answered meanwhile, and a login that waited goes
 * through once the lock is released.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { ALICE, API, baseTenant, SECRET } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const login = {
  grant_type: 'password',
  client_id: 'backend',
  client_secret: SECRET,
  username: ALICE.email,
  password: ALICE.password,
  audience: API,
};

describe('a data store that cannot answer', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(baseTenant().tenant);
  });
  after(() => server.close());

  it('is a 503 with Retry-After while another process holds the write lock, then 200 again', async () => {
    assert.equal((await server.token(login)).status, 200);
    const other = new BetterSqlite3(join(server.dataDir, 'latchkey.db'));
    other.exec('BEGIN EXCLUSIVE');
    try {
      const res = await server.token(login);
      assert.equal(res.status, 503);
      assert.deepEqual(res.body, {
        error: 'temporarily_unavailable',
        error_description: 'The server cannot reach its data store right now; retry later',
      });
      assert.equal(res.headers.get('retry-after'), '5');
      assert.equal(res.headers.get('cache-control'), 'no-store');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    assert.equal((await server.token(login)).status, 200);
  });

  it('answers other requests while a login waits for the lock, and the login then succeeds', async () => {
    const other = new BetterSqlite3(join(server.dataDir, 'latchkey.db'));
    other.exec('BEGIN IMMEDIATE');
    const order: string[] = [];
    let released = false;
    try {
      // the login reads, then needs the write lock (attack-protection counters) and waits
      const waiting = server.token(login).then((res) => {
        order.push(`login ${res.status}${released ? ' after release' : ' while locked'}`);
        return res;
      });
      for (let i = 0; i < 3; i++) {
        const jwks = await fetch(`${server.url}/.well-known/jwks.json`);
        order.push(`jwks ${jwks.status}`);
      }
      released = true;
      other.exec('ROLLBACK');
      const res = await waiting;
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(order, ['jwks 200', 'jwks 200', 'jwks 200', 'login 200 after release']);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });
});

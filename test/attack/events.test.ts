import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDataDir } from '../../src/server.js';
import { TestClock } from '../helpers/clock.js';
import { ALICE, ALICE_ID, API } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { attackTenant, loginFrom, RELAY_SECRET, WRONG } from './helpers.js';

describe('log events in the tenant log', () => {
  const clock = new TestClock(Date.UTC(2026, 2, 3, 4, 5, 6));
  let server: TestServer;
  before(async () => {
    server = await startTestServer(attackTenant(), { clock });
    await loginFrom(server, '203.0.113.8', WRONG);
    await loginFrom(server, '203.0.113.8', WRONG, 'nobody@example.com');
    await server.token(
      {
        grant_type: 'password',
        client_id: 'relay',
        client_secret: RELAY_SECRET,
        username: ALICE.email,
        password: ALICE.password,
        audience: API,
        scope: 'read:messages',
      },
      { headers: { 'auth0-forwarded-for': '203.0.113.8' } },
    );
  });
  after(() => server.close());

  it('records fp, fu and fepft with the end-user ip, the caller ip, user_name and client_id', async () => {
    const [fu] = await server.storage.logEvents.list({ type: 'fu' });
    assert.deepEqual(
      {
        type: fu?.type,
        date: fu?.date,
        description: fu?.description,
        client_id: fu?.client_id,
        ip: fu?.ip,
        client_ip: fu?.client_ip,
        user_id: fu?.user_id,
        user_name: fu?.user_name,
      },
      {
        type: 'fu',
        date: '2026-03-03T04:05:06.000Z',
        description: 'Wrong email or password.',
        client_id: 'relay',
        ip: '203.0.113.8',
        client_ip: '127.0.0.1',
        user_id: null,
        user_name: 'nobody@example.com',
      },
    );
    const [fp] = await server.storage.logEvents.list({ type: 'fp' });
    assert.deepEqual([fp?.user_id, fp?.user_name], [ALICE_ID, ALICE.email]);
    assert.equal((await server.storage.logEvents.list({ type: 'fepft' })).length, 2);
  });

  it('records sepft with audience and scope, newest first', async () => {
    const [newest] = await server.storage.logEvents.list({ limit: 1 });
    assert.equal(newest?.type, 'sepft');
    assert.deepEqual([newest?.ip, newest?.client_ip], ['203.0.113.8', '127.0.0.1']);
    assert.equal(newest?.details.audience, API);
    assert.equal(newest?.details.scope, 'read:messages');
    assert.equal(typeof newest?.log_id, 'string');
  });

  it('keeps at most 512 characters of a typed username (and of any request value)', async () => {
    const typed = `${'x'.repeat(600)}@example.com`;
    assert.equal((await loginFrom(server, '203.0.113.8', WRONG, typed)).status, 403);
    const [fu] = await server.storage.logEvents.list({ type: 'fu', limit: 1 });
    assert.equal(fu?.user_name, `${'x'.repeat(512)}…`);
  });

  it('never stores a password or secret', async () => {
    const all = JSON.stringify(await server.storage.logEvents.list({ limit: 1000 }));
    for (const secret of [WRONG, ALICE.password, RELAY_SECRET]) {
      assert.equal(all.includes(secret), false);
    }
  });
});

describe('the tenant log written behind (ADR 0014)', () => {
  /** The events another connection to the same file sees (as the CLI would). */
  async function storedTypes(dataDir: string): Promise<string[]> {
    const other = await openDataDir(dataDir);
    try {
      return (await other.logEvents.list()).map((e) => e.type);
    } finally {
      await other.close();
    }
  }

  it('reaches the database by itself within moments, and a closing server writes what is pending', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-log-behind-'));
    try {
      const server = await startTestServer(attackTenant(), { dataDir });
      assert.equal((await loginFrom(server, '203.0.113.9', WRONG)).status, 403);
      const deadline = Date.now() + 5_000;
      let types = await storedTypes(dataDir);
      while (types.length < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        types = await storedTypes(dataDir);
      }
      assert.deepEqual(types.sort(), ['fepft', 'fp']);
      assert.equal((await loginFrom(server, '203.0.113.9', WRONG)).status, 403);
      await server.close();
      assert.deepEqual((await storedTypes(dataDir)).sort(), ['fepft', 'fepft', 'fp', 'fp']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

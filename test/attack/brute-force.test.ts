import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../helpers/clock.js';
import { ALICE, ALICE_ID, DB, PASSWORD_REALM } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  attackTenant,
  BRUTE_FORCE_TEXT,
  DAY,
  LoginCountingHasher,
  loginFrom,
  RELAY_SECRET,
  WRONG,
} from './helpers.js';

const IP1 = '203.0.113.10';
const IP2 = '198.51.100.20';

async function fail(server: TestServer, ip: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await loginFrom(server, ip, WRONG);
    assert.equal(res.status, 403, `failure ${i + 1} from ${ip}`);
  }
}

describe('brute-force protection (count_per_identifier_and_ip)', () => {
  const clock = new TestClock(Date.UTC(2026, 0, 1));
  const hasher = new LoginCountingHasher();
  let server: TestServer;
  before(async () => {
    server = await startTestServer(
      attackTenant({ brute_force_protection: { max_attempts: 3, shields: ['block'] } }),
      { clock, hasher },
    );
  });
  after(() => server.close());

  it('blocks the pair after max_attempts failures, even with the right password, without hashing', async () => {
    await fail(server, IP1, 3);
    hasher.logins = 0;
    const res = await loginFrom(server, IP1, ALICE.password);
    assert.equal(res.status, 429);
    assert.deepEqual(res.body, { error: 'too_many_attempts', error_description: BRUTE_FORCE_TEXT });
    assert.equal(hasher.logins, 0);
    const now = Math.floor(clock.now() / 1000);
    assert.equal(res.headers.get('x-ratelimit-limit'), '3');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(res.headers.get('retry-after'), String(30 * DAY));
    assert.equal(res.headers.get('x-ratelimit-reset'), String(now + 30 * DAY));
  });

  it('blocks the pair on the password-realm grant too', async () => {
    const res = await server.token(
      {
        grant_type: PASSWORD_REALM,
        realm: DB,
        client_id: 'relay',
        client_secret: RELAY_SECRET,
        username: ALICE.email,
        password: ALICE.password,
      },
      { headers: { 'auth0-forwarded-for': IP1 } },
    );
    assert.equal(res.status, 429);
    assert.equal(res.body.error_description, BRUTE_FORCE_TEXT);
  });

  it('lets the same user in from another IP', async () => {
    const res = await loginFrom(server, IP2, ALICE.password);
    assert.equal(res.status, 200);
  });

  it('records limit_wc once, when the block lands', async () => {
    const events = await server.storage.logEvents.list({ type: 'limit_wc' });
    assert.equal(events.length, 1);
    assert.equal(events[0]?.ip, IP1);
    assert.equal(events[0]?.user_id, ALICE_ID);
    assert.equal(events[0]?.user_name, ALICE.email);
    assert.equal(events[0]?.client_id, 'relay');
  });

  it('keeps the block on day 29 and lifts it 30 days after the last failure', async () => {
    clock.advance(29 * DAY);
    assert.equal((await loginFrom(server, IP1, ALICE.password)).status, 429);
    clock.advance(DAY);
    assert.equal((await loginFrom(server, IP1, ALICE.password)).status, 200);
  });

  it('resets the count on success: fail, succeed, fail never blocks', async () => {
    for (let round = 0; round < 3; round++) {
      await fail(server, IP2, 2);
      assert.equal((await loginFrom(server, IP2, ALICE.password)).status, 200);
    }
  });

  it('counts a known user once whichever identifier was typed: email or username (AU-7)', async () => {
    const ip = '192.0.2.77';
    assert.equal((await loginFrom(server, ip, ALICE.password, ALICE.username)).status, 200);
    assert.equal((await loginFrom(server, ip, WRONG, ALICE.email)).status, 403);
    assert.equal((await loginFrom(server, ip, WRONG, ALICE.username)).status, 403);
    assert.equal((await loginFrom(server, ip, WRONG, ALICE.email.toUpperCase())).status, 403);
    for (const name of [ALICE.username, ALICE.email]) {
      const res = await loginFrom(server, ip, ALICE.password, name);
      assert.equal(res.status, 429, name);
      assert.equal(res.body.error_description, BRUTE_FORCE_TEXT);
    }
  });

  it('counts unknown identifiers too, folding case, so a block reveals nothing', async () => {
    for (const name of ['ghost@example.com', 'GHOST@example.com', 'Ghost@Example.com']) {
      assert.equal((await loginFrom(server, IP2, WRONG, name)).status, 403);
    }
    const res = await loginFrom(server, IP2, WRONG, 'ghost@EXAMPLE.com');
    assert.equal(res.status, 429);
    assert.equal(res.body.error_description, BRUTE_FORCE_TEXT);
  });
});

describe('brute-force protection: modes, allowlist, monitoring', () => {
  const servers: TestServer[] = [];
  const start = async (settings: Parameters<typeof attackTenant>[0]) => {
    const server = await startTestServer(attackTenant(settings));
    servers.push(server);
    return server;
  };
  after(async () => {
    for (const server of servers) await server.close();
  });

  it('count_per_identifier blocks the identifier from every IP', async () => {
    const server = await start({
      brute_force_protection: { max_attempts: 2, mode: 'count_per_identifier' },
    });
    await fail(server, IP1, 1);
    await fail(server, IP2, 1);
    assert.equal((await loginFrom(server, '192.0.2.1', ALICE.password)).status, 429);
  });

  it('never blocks an allowlisted IP or CIDR (v4 and v6)', async () => {
    const server = await start({
      brute_force_protection: { max_attempts: 1, allowlist: ['203.0.113.0/24', '2001:db8::/32'] },
    });
    await fail(server, IP1, 3);
    await fail(server, '2001:db8::7', 3);
    assert.equal((await loginFrom(server, IP1, ALICE.password)).status, 200);
    assert.equal((await loginFrom(server, '2001:DB8:0:0::7', ALICE.password)).status, 200);
    await fail(server, IP2, 1);
    assert.equal((await loginFrom(server, IP2, ALICE.password)).status, 429);
  });

  it('monitors only (logs limit_wc, never refuses) without the block shield', async () => {
    const server = await start({ brute_force_protection: { max_attempts: 2, shields: [] } });
    await fail(server, IP1, 4);
    assert.equal((await loginFrom(server, IP1, ALICE.password)).status, 200);
    const events = await server.storage.logEvents.list({ type: 'limit_wc' });
    assert.equal(events.length, 1);
    assert.equal(events[0]?.details.blocked, false);
  });

  it('is off when enabled is false', async () => {
    const server = await start({ brute_force_protection: { enabled: false, max_attempts: 1 } });
    await fail(server, IP1, 3);
    assert.equal((await loginFrom(server, IP1, ALICE.password)).status, 200);
  });
});

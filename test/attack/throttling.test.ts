import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../helpers/clock.js';
import { ALICE, ALICE_ID } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  attackTenant,
  LoginCountingHasher,
  loginFrom,
  RATE_LIMITED_TEXT,
  SUSPICIOUS_IP_TEXT,
  WRONG,
} from './helpers.js';

const MINUTE = 60;

describe('suspicious-IP throttling', () => {
  const clock = new TestClock(Date.UTC(2026, 0, 1));
  const hasher = new LoginCountingHasher();
  let server: TestServer;
  before(async () => {
    server = await startTestServer(
      attackTenant({
        suspicious_ip_throttling: {
          allowlist: ['192.0.2.0/24'],
          stage: { 'pre-login': { max_attempts: 3, rate: 60_000 } },
        },
      }),
      { clock, hasher },
    );
  });
  after(() => server.close());

  it('does not drain on successful logins', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await loginFrom(server, '203.0.113.1', ALICE.password)).status, 200);
    }
  });

  it('refuses an IP whose failed logins emptied its bucket, for any user, without hashing', async () => {
    for (const user of ['u1@example.com', 'u2@example.com', 'u3@example.com']) {
      assert.equal((await loginFrom(server, '203.0.113.1', WRONG, user)).status, 403);
    }
    hasher.logins = 0;
    const res = await loginFrom(server, '203.0.113.1', ALICE.password);
    assert.equal(res.status, 429);
    assert.deepEqual(res.body, {
      error: 'too_many_attempts',
      error_description: SUSPICIOUS_IP_TEXT,
    });
    assert.equal(hasher.logins, 0);
    const now = Math.floor(clock.now() / 1000);
    assert.equal(res.headers.get('x-ratelimit-limit'), '3');
    assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(res.headers.get('retry-after'), '60');
    assert.equal(res.headers.get('x-ratelimit-reset'), String(now + 60));
    const [event] = await server.storage.logEvents.list({ type: 'limit_mu', limit: 1 });
    assert.equal(event?.ip, '203.0.113.1');
    assert.equal(event?.user_name, ALICE.email);
  });

  it('leaves other IPs and allowlisted IPs alone', async () => {
    assert.equal((await loginFrom(server, '198.51.100.1', ALICE.password)).status, 200);
    for (let i = 0; i < 5; i++) await loginFrom(server, '192.0.2.9', WRONG, `x${i}@example.com`);
    assert.equal((await loginFrom(server, '192.0.2.9', ALICE.password)).status, 200);
  });

  it('regains one attempt every rate ms', async () => {
    clock.advance(59);
    assert.equal((await loginFrom(server, '203.0.113.1', ALICE.password)).status, 429);
    clock.advance(1);
    assert.equal((await loginFrom(server, '203.0.113.1', WRONG, 'u4@example.com')).status, 403);
    assert.equal((await loginFrom(server, '203.0.113.1', ALICE.password)).status, 429);
    clock.advance(MINUTE);
    assert.equal((await loginFrom(server, '203.0.113.1', ALICE.password)).status, 200);
  });
});

describe('same user from the same IP', () => {
  const clock = new TestClock(Date.UTC(2026, 0, 1));
  let server: TestServer;
  before(async () => {
    server = await startTestServer(attackTenant(), { clock });
  });
  after(() => server.close());

  it('allows 20 logins a minute, then refuses with 429 and headers; successes count too', async () => {
    for (let i = 0; i < 20; i++) {
      assert.equal((await loginFrom(server, '203.0.113.2', ALICE.password)).status, 200, `#${i}`);
    }
    const res = await loginFrom(server, '203.0.113.2', ALICE.password);
    assert.equal(res.status, 429);
    assert.deepEqual(res.body, {
      error: 'too_many_attempts',
      error_description: RATE_LIMITED_TEXT,
    });
    assert.equal(res.headers.get('x-ratelimit-limit'), '20');
    assert.equal(res.headers.get('retry-after'), '6');
    const [event] = await server.storage.logEvents.list({ type: 'limit_sul', limit: 1 });
    assert.deepEqual([event?.user_id, event?.ip], [ALICE_ID, '203.0.113.2']);
    assert.equal((await loginFrom(server, '203.0.113.3', ALICE.password)).status, 200);
  });

  it('then allows 10 a minute', async () => {
    clock.advance(MINUTE);
    for (let i = 0; i < 10; i++) {
      assert.equal((await loginFrom(server, '203.0.113.2', ALICE.password)).status, 200, `#${i}`);
    }
    assert.equal((await loginFrom(server, '203.0.113.2', ALICE.password)).status, 429);
  });
});

describe('account-wide slowdown (any IP)', () => {
  const clock = new TestClock(Date.UTC(2026, 0, 1));
  const hasher = new LoginCountingHasher();
  let server: TestServer;
  let ip = 0;
  const fresh = () => `198.51.100.${++ip}`;
  before(async () => {
    server = await startTestServer(
      attackTenant({
        account_throttling: { threshold: 3, initial_delay: 2_000, max_delay: 8_000 },
      }),
      { clock, hasher },
    );
  });
  after(() => server.close());

  it('slows the account after threshold failures from distinct IPs, without hashing', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await loginFrom(server, fresh(), WRONG)).status, 403);
    hasher.logins = 0;
    const res = await loginFrom(server, fresh(), ALICE.password);
    assert.equal(res.status, 429);
    assert.equal(res.body.error_description, RATE_LIMITED_TEXT);
    assert.equal(res.headers.get('retry-after'), '2');
    assert.equal(hasher.logins, 0);
    const [event] = await server.storage.logEvents.list({ type: 'limit_wc', limit: 1 });
    assert.equal(event?.details.scope, 'account');
  });

  it('doubles the delay per further failure up to max_delay, and never locks for good', async () => {
    clock.advance(2);
    assert.equal((await loginFrom(server, fresh(), WRONG)).status, 403);
    clock.advance(3);
    assert.equal((await loginFrom(server, fresh(), ALICE.password)).status, 429);
    clock.advance(1);
    assert.equal((await loginFrom(server, fresh(), WRONG)).status, 403);
    clock.advance(7);
    assert.equal((await loginFrom(server, fresh(), WRONG)).status, 429);
    clock.advance(1);
    assert.equal((await loginFrom(server, fresh(), WRONG)).status, 403);
    clock.advance(8);
    assert.equal((await loginFrom(server, fresh(), ALICE.password)).status, 200);
  });

  it('starts over after a success', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await loginFrom(server, fresh(), WRONG)).status, 403);
    assert.equal((await loginFrom(server, fresh(), ALICE.password)).status, 200);
  });
});

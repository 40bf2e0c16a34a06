/**
 * @module test/features/client-auth-throttle
 *
 * Client-credential guessing is throttled per client and caller address (AU-16): ten failed
 * authentications, then 429 before any credential is checked, one more attempt a minute; a
 * success starts the count again; the same client from another address is unaffected.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientAuthThrottle } from '../../src/client-auth/failure-throttle.js';
import { OAuthError } from '../../src/errors/oauth-error.js';
import { ALICE, API, baseTenant, SECRET } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const login = {
  grant_type: 'password',
  client_id: 'backend',
  username: ALICE.email,
  password: ALICE.password,
  audience: API,
};
const THROTTLED = {
  error: 'too_many_attempts',
  error_description: 'Too many failed client authentications. Please try again later.',
};
const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

describe('failed client authentications over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(baseTenant().tenant, { trustProxy: ['127.0.0.1'] });
  });
  after(() => server.close());

  it('answers 429 after ten failures, even to the right secret, with the rate-limit headers', async () => {
    const guesser = from('203.0.113.10');
    for (let i = 0; i < 10; i++) {
      const res = await server.token({ ...login, client_secret: `guess-${i}` }, guesser);
      assert.equal(res.status, 401, `guess ${i}`);
    }
    const right = await server.token({ ...login, client_secret: SECRET }, guesser);
    assert.equal(right.status, 429);
    assert.deepEqual(right.body, THROTTLED);
    assert.equal(right.headers.get('retry-after'), '60');
    assert.equal(right.headers.get('x-ratelimit-limit'), '10');
    assert.equal(right.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(right.headers.get('cache-control'), 'no-store');

    const elsewhere = await server.token({ ...login, client_secret: SECRET }, from('203.0.113.11'));
    assert.equal(elsewhere.status, 200, 'the same client from another address is not locked out');
  });

  it('counts a caller only until it authenticates', async () => {
    const caller = from('203.0.113.20');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 9; i++) {
        const res = await server.token({ ...login, client_secret: 'wrong' }, caller);
        assert.equal(res.status, 401);
      }
      const ok = await server.token({ ...login, client_secret: SECRET }, caller);
      assert.equal(ok.status, 200, `round ${round}`);
    }
  });
});

describe('ClientAuthThrottle', () => {
  const throttled = (fn: () => void) =>
    assert.throws(fn, (err) => err instanceof OAuthError && err.status === 429);

  it('refills one attempt per interval, up to the burst', () => {
    const throttle = new ClientAuthThrottle(3, 1_000);
    for (let i = 0; i < 3; i++) {
      throttle.check('c', 'ip', 0);
      throttle.failed('c', 'ip', 0);
    }
    throttled(() => throttle.check('c', 'ip', 999));
    throttle.check('c', 'ip', 1_000);
    throttle.failed('c', 'ip', 1_000);
    throttled(() => throttle.check('c', 'ip', 1_500));
    throttle.check('c', 'ip', 10_000); // refilled to the burst
    throttle.check('other-client', 'ip', 1_500);
  });

  it('keeps a bounded number of callers, dropping the oldest', () => {
    const throttle = new ClientAuthThrottle(1, 60_000, 2);
    throttle.failed('c', 'a', 0);
    throttle.failed('c', 'b', 0);
    throttled(() => throttle.check('c', 'a', 0));
    throttle.failed('c', 'c', 0); // drops the oldest, a
    throttle.check('c', 'a', 0);
    throttled(() => throttle.check('c', 'b', 0));
  });
});

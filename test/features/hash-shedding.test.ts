import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALICE, API, baseTenant, SECRET } from '../helpers/fixtures.js';
import { GatedHasher } from '../helpers/gated-hasher.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backend = { grant_type: 'password', client_id: 'backend', client_secret: SECRET };
const login = { ...backend, username: ALICE.email, password: ALICE.password, audience: API };
const BUSY = {
  error: 'temporarily_unavailable',
  error_description: 'The server is too busy to check passwords right now; retry later',
};
const WRONG = { error: 'invalid_grant', error_description: 'Wrong email or password.' };

describe('hash queue full: 503 temporarily_unavailable with Retry-After', () => {
  let server: TestServer;
  const hasher = new GatedHasher({ concurrency: 1, maxQueue: 1, maxQueuePerSource: 1 });
  before(async () => {
    server = await startTestServer(baseTenant().tenant, { hasher });
    // verifies the client secret once, so only password checks use the hasher below
    assert.equal((await server.token(login)).status, 200);
  });
  after(() => server.close());

  it('sheds a login at once when the queue is full and serves the queued ones after', async () => {
    hasher.close();
    const running = server.token({ ...login, password: 'wrong-password-1' });
    await hasher.until((s) => s.running === 1);
    const queued = server.token({ ...login, username: 'nobody@example.com' });
    await hasher.until((s) => s.queued === 1);

    const eventsBefore = (await server.storage.logEvents.list()).length;
    const shed = await server.token({ ...login, username: 'shed@example.com' });
    assert.equal(shed.status, 503);
    // shed before any other work: no login counters, no tenant-log event
    assert.equal((await server.storage.logEvents.list()).length, eventsBefore);
    const pair = 'pair:i:Username-Password-Authentication:shed@example.com:127.0.0.1';
    assert.equal(await server.storage.loginGates.get(pair), null, 'no brute-force slot reserved');
    assert.deepEqual(shed.body, BUSY);
    assert.equal(shed.headers.get('retry-after'), '1');
    assert.equal(shed.headers.get('cache-control'), 'no-store');
    assert.equal(shed.headers.get('pragma'), 'no-cache');

    hasher.open();
    for (const answer of await Promise.all([running, queued])) {
      assert.equal(answer.status, 403);
      assert.deepEqual(answer.body, WRONG);
    }
    const again = await server.token(login);
    assert.equal(again.status, 200);
    assert.equal(typeof again.body.access_token, 'string');
  });

  it('logs the shedding as a refused request, not as a server failure, without the password', () => {
    const shed = server.logs.find(
      (l) => (l.rejected as { error?: string } | undefined)?.error === 'temporarily_unavailable',
    );
    assert.equal(shed?.msg, 'request completed');
    assert.equal((shed?.res as { statusCode?: number } | undefined)?.statusCode, 503);
    assert.equal(
      server.logs.some((l) => l.msg === 'request failed'),
      false,
    );
    assert.equal(server.logText().includes(ALICE.password), false);
  });
});

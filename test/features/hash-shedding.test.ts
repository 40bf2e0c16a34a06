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

  it('sheds a password login before client authentication, but not a browser’s or another grant', async () => {
    hasher.close();
    const running = server.token({ ...login, password: 'wrong-password-2' });
    await hasher.until((s) => s.running === 1);
    const queued = server.token({ ...login, username: 'nobody2@example.com' });
    await hasher.until((s) => s.queued === 1);

    const badSecret = { ...login, client_secret: 'not-the-secret' };
    const early = await server.token(badSecret);
    assert.equal(early.status, 503, 'shed before the client secret was even looked at');
    assert.deepEqual(early.body, BUSY);
    const browser = await server.token(badSecret, { headers: { origin: 'https://app.example' } });
    assert.equal(browser.status, 401, 'a browser request takes the full path (CORS headers)');
    assert.equal(browser.body.error, 'access_denied');
    const refresh = await server.token({
      grant_type: 'refresh_token',
      client_id: 'backend',
      client_secret: SECRET,
      refresh_token: 'not-a-refresh-token',
    });
    assert.equal(refresh.status, 403, 'a grant that hashes no password is never shed');
    assert.equal(refresh.body.error, 'invalid_grant');

    hasher.open();
    await Promise.all([running, queued]);
  });

  it('lets exactly the requests that fit reserve a place; the rest do no lookup', async () => {
    hasher.close();
    const running = server.token({ ...login, password: 'wrong-password-3' });
    await hasher.until((s) => s.running === 1);
    // one place left; browsers skip the early check, so all five reach the reservation
    const names = [1, 2, 3, 4, 5].map((n) => `burst${n}@example.com`);
    const users = server.provider.storage.users;
    const findByLogin = users.findByLogin.bind(users);
    const looked: string[] = [];
    users.findByLogin = async (connection, identifier) => {
      looked.push(identifier);
      await new Promise((r) => setTimeout(r, 50)); // a lookup that waits on I/O
      return findByLogin(connection, identifier);
    };
    const answers = names.map((username) =>
      server.token({ ...login, username }, { headers: { origin: 'https://app.example' } }),
    );
    await hasher.until((s) => s.queued === 1);
    const gates = await Promise.all(
      names.map((n) =>
        server.storage.loginGates.get(`pair:i:Username-Password-Authentication:${n}:127.0.0.1`),
      ),
    );
    hasher.open();
    const statuses = (await Promise.all(answers)).map((a) => a.status).sort();
    assert.deepEqual(statuses, [403, 503, 503, 503, 503]);
    users.findByLogin = findByLogin;
    assert.equal(gates.filter((g) => g !== null).length, 1, 'only the admitted one was counted');
    assert.equal(looked.length, 1, 'only the admitted one was looked up');
    await running;
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

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALICE, ALICE_ID, API, baseTenant, DB, SECRET } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';

const backend = {
  grant_type: 'password',
  client_id: 'backend',
  client_secret: SECRET,
  username: ALICE.email,
  password: ALICE.password,
};

describe('/userinfo', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(baseTenant().tenant);
  });
  after(() => server.close());

  const userinfo = (authorization?: string, method = 'GET') =>
    fetch(`${server.url}/userinfo`, {
      method,
      headers: authorization ? { authorization } : {},
    }).then(readResponse);

  it('answers a JWT access token issued with openid (aud includes userinfo)', async () => {
    const token = await server.token({ ...backend, audience: API, scope: 'openid email' });
    const res = await userinfo(`Bearer ${token.body.access_token}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { sub: ALICE_ID, email: ALICE.email, email_verified: true });
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('accepts POST as well', async () => {
    const token = await server.token({ ...backend, scope: 'openid' });
    assert.equal((await userinfo(`Bearer ${token.body.access_token}`, 'POST')).status, 200);
  });

  it('refuses an API token issued without openid', async () => {
    const token = await server.token({ ...backend, audience: API, scope: 'read:messages' });
    const res = await userinfo(`Bearer ${token.body.access_token}`);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'invalid_token');
    assert.equal(
      res.headers.get('www-authenticate'),
      'Bearer realm="latchkey", error="invalid_token"',
    );
  });

  const bad: Array<[string, string | undefined]> = [
    ['no Authorization header', undefined],
    ['another scheme', 'Basic abc'],
    ['an unknown opaque token', 'Bearer abcdefghijklmnop'],
    ['a tampered JWT', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
  ];
  for (const [name, header] of bad) {
    it(`answers ${name} with 401 invalid_token`, async () => {
      const res = await userinfo(header);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, {
        error: 'invalid_token',
        error_description: 'The access token is missing, expired or invalid',
      });
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="latchkey"/);
    });
  }

  it('stops answering once the user is blocked', async () => {
    const token = await server.token({ ...backend, scope: 'openid' });
    const alice = await server.storage.users.get(ALICE_ID);
    assert.ok(alice);
    await server.storage.users.upsert({ ...alice, blocked: true });
    try {
      assert.equal((await userinfo(`Bearer ${token.body.access_token}`)).status, 401);
    } finally {
      await server.storage.users.upsert({ ...alice, blocked: false });
    }
    assert.equal((await server.storage.users.findByLogin(DB, ALICE.email))?.blocked, false);
  });

  it('stores opaque tokens only as a hash', async () => {
    const token = await server.token({ ...backend, scope: 'openid' });
    const raw = String(token.body.access_token);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(`${server.dataDir}/latchkey.db`, { readonly: true });
    try {
      const dump = JSON.stringify(db.prepare('SELECT * FROM access_tokens').all());
      assert.equal(dump.includes(raw), false);
      assert.ok(dump.length > 10);
    } finally {
      db.close();
    }
  });
});

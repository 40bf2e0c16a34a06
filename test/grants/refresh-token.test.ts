import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { sha256 } from '../../src/shared/crypto.js';
import { TestClock } from '../helpers/clock.js';
import { ALICE, ALICE_ID, API, baseTenant, DB, SECRET } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const INVALID = { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' };
const GRANTS = ['password', 'refresh_token'];

function client(client_id: string, refresh_token: Record<string, unknown>) {
  return {
    client_id,
    name: client_id,
    client_secret: `${client_id}-secret`,
    grant_types: GRANTS,
    refresh_token,
  };
}

describe('grant_type=refresh_token', () => {
  let server: TestServer;
  const clock = new TestClock();
  before(async () => {
    const { tenant } = baseTenant();
    (tenant.clients as unknown[]).push(
      client('rotating', {
        rotation_type: 'rotating',
        expiration_type: 'expiring',
        leeway: 0,
        token_lifetime: 1000,
        idle_token_lifetime: 500,
      }),
      client('leeway', { rotation_type: 'rotating', expiration_type: 'expiring', leeway: 30 }),
      client('idle', {
        rotation_type: 'non-rotating',
        expiration_type: 'expiring',
        token_lifetime: 1000,
        idle_token_lifetime: 100,
      }),
      {
        client_id: 'no-refresh',
        name: 'No refresh',
        client_secret: 'no-refresh-secret',
        grant_types: ['password'],
      },
    );
    const connections = tenant.connections as Array<{ enabled_clients: string[] }>;
    connections[0]?.enabled_clients.push('rotating', 'leeway', 'idle', 'no-refresh');
    server = await startTestServer(tenant, { clock });
  });
  after(() => server.close());

  const creds = (id: string) => ({
    client_id: id,
    client_secret: id === 'backend' ? SECRET : `${id}-secret`,
  });
  async function login(id = 'backend', scope = 'openid offline_access read:messages') {
    const res = await server.token({
      grant_type: 'password',
      ...creds(id),
      username: ALICE.email,
      password: ALICE.password,
      audience: API,
      scope,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res;
  }
  const refresh = (id: string, refresh_token: string, extra: Record<string, string> = {}) =>
    server.token({ grant_type: 'refresh_token', ...creds(id), refresh_token, ...extra });

  it('issues a refresh token with offline_access when the API and the client allow it', async () => {
    const res = await login();
    assert.equal(res.body.scope, 'openid profile email address phone read:messages offline_access');
    assert.match(String(res.body.refresh_token), /^[A-Za-z0-9_-]{43}$/);
  });

  it('does not issue one to a client without the refresh_token grant', async () => {
    const res = await login('no-refresh');
    assert.equal(res.body.refresh_token, undefined);
    assert.equal(String(res.body.scope).includes('offline_access'), false);
  });

  it('stores only the hash of the token', async () => {
    const value = String((await login()).body.refresh_token);
    const record = await server.storage.refreshTokens.get(sha256(value));
    assert.equal(record?.client_id, 'backend');
    assert.equal(record?.user_id, ALICE_ID);
    assert.equal(record?.audience, API);
    assert.equal(JSON.stringify(record).includes(value), false);
  });

  it('refreshes a non-rotating token again and again, with a fresh access and ID token', async () => {
    const value = String((await login()).body.refresh_token);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    for (let i = 0; i < 2; i++) {
      const res = await refresh('backend', value);
      assert.equal(res.status, 200);
      assert.equal(res.body.refresh_token, undefined, 'non-rotating: no new refresh token');
      assert.equal(res.body.token_type, 'Bearer');
      const at = await jwtVerify(String(res.body.access_token), jwks, { issuer: server.issuer });
      assert.equal(at.payload.sub, ALICE_ID);
      assert.equal(at.payload.gty, 'refresh_token');
      const id = await jwtVerify(String(res.body.id_token), jwks, {
        issuer: server.issuer,
        audience: 'backend',
      });
      assert.equal(id.payload.sub, ALICE_ID);
    }
  });

  it('narrows the scope on request and refuses to widen it', async () => {
    const value = String(
      (await login('backend', 'offline_access read:messages')).body.refresh_token,
    );
    const narrow = await refresh('backend', value, { scope: 'read:messages' });
    assert.equal(narrow.status, 200);
    assert.equal(narrow.body.scope, 'read:messages');
    assert.equal(narrow.body.id_token, undefined);
    const wide = await refresh('backend', value, { scope: 'read:messages write:messages' });
    assert.equal(wide.status, 400);
    assert.deepEqual(wide.body, {
      error: 'invalid_scope',
      error_description: 'The requested scope exceeds the scope granted by the refresh token',
    });
  });

  it('rejects unknown tokens, tokens of another client and a missing token', async () => {
    assert.deepEqual((await refresh('backend', 'nope')).body, INVALID);
    const value = String((await login()).body.refresh_token);
    const other = await refresh('rotating', value);
    assert.equal(other.status, 403);
    assert.deepEqual(other.body, INVALID);
    const missing = await server.token({ grant_type: 'refresh_token', ...creds('backend') });
    assert.deepEqual(missing.body, {
      error: 'invalid_request',
      error_description: 'Missing required parameter: refresh_token',
    });
  });

  it('rotates, and a reused rotated token revokes the whole family', async () => {
    const first = String((await login('rotating')).body.refresh_token);
    const second = await refresh('rotating', first);
    assert.equal(second.status, 200);
    const next = String(second.body.refresh_token);
    assert.notEqual(next, first);
    const reuse = await refresh('rotating', first);
    assert.equal(reuse.status, 403);
    assert.deepEqual(reuse.body, INVALID);
    assert.deepEqual(
      (await refresh('rotating', next)).body,
      INVALID,
      'the successor died with the family',
    );
    assert.ok(
      server.logs.some((l) => (l.event as { type?: string } | undefined)?.type === 'ferrt'),
    );
  });

  it('gives exactly one success to concurrent uses of one token', async () => {
    const value = String((await login('rotating')).body.refresh_token);
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh('rotating', value)));
    assert.equal(results.filter((r) => r.status === 200).length, 1);
    assert.ok(results.filter((r) => r.status !== 200).every((r) => r.status === 403));
  });

  it('lets the previous token work once inside the leeway, returning the same successor', async () => {
    const first = String((await login('leeway')).body.refresh_token);
    const b = await refresh('leeway', first);
    const successor = String(b.body.refresh_token);
    const retry = await refresh('leeway', first);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.refresh_token, successor, 'one successor only');
    const again = await refresh('leeway', first);
    assert.equal(again.status, 403, 'only once');
    assert.deepEqual(
      (await refresh('leeway', successor)).body,
      INVALID,
      'second reuse revoked the family',
    );
  });

  it('treats reuse after the leeway, or of an older token, as reuse', async () => {
    const a = String((await login('leeway')).body.refresh_token);
    const b = String((await refresh('leeway', a)).body.refresh_token);
    const c = String((await refresh('leeway', b)).body.refresh_token);
    assert.equal(
      (await refresh('leeway', a)).status,
      403,
      'a is not the immediately previous token',
    );
    assert.deepEqual((await refresh('leeway', c)).body, INVALID);
    const d = String((await login('leeway')).body.refresh_token);
    const e = String((await refresh('leeway', d)).body.refresh_token);
    clock.advance(31);
    assert.equal((await refresh('leeway', d)).status, 403);
    assert.deepEqual((await refresh('leeway', e)).body, INVALID);
  });

  it('keeps the absolute lifetime across rotations and renews the idle one', async () => {
    let token = String((await login('rotating')).body.refresh_token);
    for (let i = 0; i < 3; i++) {
      clock.advance(300); // idle 500 s is renewed at each rotation
      const res = await refresh('rotating', token);
      assert.equal(res.status, 200, `rotation ${i}`);
      token = String(res.body.refresh_token);
    }
    clock.advance(101); // 1001 s after login: past the absolute 1000 s
    assert.deepEqual((await refresh('rotating', token)).body, INVALID);
  });

  it('expires an unused token after its idle lifetime', async () => {
    const token = String((await login('idle')).body.refresh_token);
    clock.advance(90);
    assert.equal((await refresh('idle', token)).status, 200, 'use renews the idle window');
    clock.advance(90);
    assert.equal((await refresh('idle', token)).status, 200);
    clock.advance(101);
    assert.deepEqual((await refresh('idle', token)).body, INVALID);
  });

  it('answers for a blocked or deleted user with Auth0 texts', async () => {
    const token = String((await login()).body.refresh_token);
    const alice = await server.storage.users.get(ALICE_ID);
    assert.ok(alice);
    await server.storage.users.upsert({ ...alice, blocked: true });
    const blocked = await refresh('backend', token);
    assert.equal(blocked.status, 403);
    assert.deepEqual(blocked.body, {
      error: 'invalid_grant',
      error_description: 'user is blocked',
    });
    await server.storage.users.delete(ALICE_ID);
    const deleted = await refresh('backend', token);
    assert.equal(deleted.status, 403);
    assert.deepEqual(deleted.body, {
      error: 'invalid_grant',
      error_description: "The refresh_token was generated for a user who doesn't exist anymore.",
    });
    await server.storage.users.upsert({ ...alice, blocked: false });
    assert.equal((await server.storage.users.findByLogin(DB, ALICE.email))?.user_id, ALICE_ID);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ALICE, ALICE_ID, API, API_9068, BOB, baseTenant, SECRET } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backend = { grant_type: 'password', client_id: 'backend', client_secret: SECRET };
const alice = { username: ALICE.email, password: ALICE.password };

describe('grant_type=password', () => {
  let server: TestServer;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  before(async () => {
    server = await startTestServer(baseTenant().tenant);
    jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
  });
  after(() => server.close());

  it('issues an access token for the API that verifies against the live JWKS', async () => {
    const res = await server.token({ ...backend, ...alice, audience: API, scope: 'read:messages' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('pragma'), 'no-cache');
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 3600);
    assert.equal(res.body.scope, 'read:messages');
    assert.equal(res.body.id_token, undefined);
    const { payload, protectedHeader } = await jwtVerify(String(res.body.access_token), jwks, {
      issuer: server.issuer,
      audience: API,
    });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(protectedHeader.typ, 'JWT');
    assert.equal(payload.sub, ALICE_ID);
    assert.equal(payload.aud, API);
    assert.equal(payload.azp, 'backend');
    assert.equal(payload.gty, 'password');
    assert.equal(payload.scope, 'read:messages');
    assert.equal(Number(payload.exp) - Number(payload.iat), 3600);
    assert.ok(server.issuer.endsWith('/'));
  });

  it('accepts a JSON body as Auth0 SDKs send it', async () => {
    const res = await server.token({ ...backend, ...alice, audience: API }, { json: true });
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.access_token, 'string');
  });

  it('grants every API scope and every OIDC scope when no scope is asked', async () => {
    const res = await server.token({ ...backend, ...alice, audience: API });
    assert.equal(res.status, 200);
    assert.equal(res.body.scope, 'openid profile email address phone read:messages write:messages');
    assert.equal(typeof res.body.id_token, 'string');
  });

  it('expands openid alone to the standard OIDC scopes and issues an ID token', async () => {
    const res = await server.token({ ...backend, ...alice, audience: API, scope: 'openid' });
    assert.equal(res.body.scope, 'openid profile email address phone read:messages write:messages');
    const { payload } = await jwtVerify(String(res.body.id_token), jwks, {
      issuer: server.issuer,
      audience: 'backend',
    });
    assert.equal(payload.sub, ALICE_ID);
    assert.equal(payload.name, 'Alice Example');
    assert.equal(payload.given_name, 'Alice');
    assert.equal(payload.family_name, 'Example');
    assert.equal(payload.nickname, 'alice');
    assert.equal(payload.email, ALICE.email);
    assert.equal(payload.email_verified, true);
    assert.equal(typeof payload.updated_at, 'string');
    assert.equal(Number(payload.exp) - Number(payload.iat), 36000);
    const at = await jwtVerify(String(res.body.access_token), jwks, { issuer: server.issuer });
    assert.deepEqual(at.payload.aud, [API, `${server.issuer}userinfo`]);
  });

  it('limits ID token claims to the granted scopes and drops unknown scopes', async () => {
    const res = await server.token({
      ...backend,
      ...alice,
      audience: API,
      scope: 'openid email write:messages bogus',
    });
    assert.equal(res.body.scope, 'openid email write:messages');
    const { payload } = await jwtVerify(String(res.body.id_token), jwks, {
      issuer: server.issuer,
      audience: 'backend',
    });
    assert.equal(payload.email, ALICE.email);
    assert.equal(payload.name, undefined);
    assert.equal(payload.nickname, undefined);
  });

  it('grants offline_access only where the API allows offline access', async () => {
    const allowed = await server.token({
      ...backend,
      ...alice,
      audience: API,
      scope: 'read:messages offline_access',
    });
    assert.equal(allowed.body.scope, 'read:messages offline_access');
    assert.equal(typeof allowed.body.refresh_token, 'string');
    const denied = await server.token({
      ...backend,
      ...alice,
      audience: API_9068,
      scope: 'read offline_access',
    });
    assert.equal(denied.body.scope, 'read');
    assert.equal(denied.body.refresh_token, undefined);
  });

  it('logs in with the username as well as the email, case-insensitively', async () => {
    for (const username of ['alice', 'ALICE@Example.com']) {
      const res = await server.token({
        ...backend,
        username,
        password: ALICE.password,
        audience: API,
      });
      assert.equal(res.status, 200, username);
    }
  });

  it('issues an opaque userinfo-only token when there is no audience', async () => {
    const res = await server.token({ ...backend, ...alice, scope: 'openid profile' });
    assert.equal(res.status, 200);
    assert.equal(res.body.scope, 'openid profile');
    assert.equal(res.body.expires_in, 86400);
    assert.equal(String(res.body.access_token).split('.').length, 1);
    const info = await fetch(`${server.url}/userinfo`, {
      headers: { authorization: `Bearer ${res.body.access_token}` },
    });
    assert.equal(info.status, 200);
    assert.deepEqual(await info.json(), {
      sub: ALICE_ID,
      name: 'Alice Example',
      given_name: 'Alice',
      family_name: 'Example',
      nickname: 'alice',
      updated_at: (decodeIdToken(String(res.body.id_token)) as { updated_at: string }).updated_at,
    });
  });

  it('issues RFC 9068 access tokens when the API asks for that dialect', async () => {
    const res = await server.token({ ...backend, ...alice, audience: API_9068, scope: 'read' });
    assert.equal(res.status, 200);
    assert.equal(decodeProtectedHeader(String(res.body.access_token)).typ, 'at+jwt');
    const { payload } = await jwtVerify(String(res.body.access_token), jwks, {
      issuer: server.issuer,
      audience: API_9068,
      typ: 'at+jwt',
    });
    assert.equal(payload.client_id, 'backend');
    assert.equal(typeof payload.jti, 'string');
    assert.equal(payload.azp, undefined);
    assert.equal(payload.gty, undefined);
    assert.equal(payload.expires_in, undefined);
  });

  it('answers a wrong password and an unknown user with the same 403', async () => {
    const wrong = await server.token({
      ...backend,
      username: ALICE.email,
      password: 'nope',
      audience: API,
    });
    const unknown = await server.token({
      ...backend,
      username: 'nobody@example.com',
      password: 'nope',
      audience: API,
    });
    for (const res of [wrong, unknown]) {
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, {
        error: 'invalid_grant',
        error_description: 'Wrong email or password.',
      });
      assert.equal(res.headers.get('cache-control'), 'no-store');
    }
    const events = server.logs.map((l) => (l.event as { type?: string } | undefined)?.type);
    assert.ok(events.includes('fp'));
    assert.ok(events.includes('fu'));
  });

  it('tells an admin-blocked user "user is blocked" only after the right password', async () => {
    const right = await server.token({ ...backend, username: BOB.email, password: BOB.password });
    assert.equal(right.status, 401);
    assert.deepEqual(right.body, { error: 'unauthorized', error_description: 'user is blocked' });
    const wrong = await server.token({ ...backend, username: BOB.email, password: 'guess' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error_description, 'Wrong email or password.');
  });

  it('rejects an unknown audience with Auth0 text', async () => {
    const res = await server.token({ ...backend, ...alice, audience: 'https://nope.example.com' });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'access_denied',
      error_description: 'Service not enabled within domain: https://nope.example.com',
    });
  });

  it('does not echo an unsafe audience value', async () => {
    const res = await server.token({ ...backend, ...alice, audience: 'evil"\u0007<script>' });
    assert.equal(res.status, 403);
    assert.equal(res.body.error_description, 'Service not enabled within domain: (invalid value)');
  });

  for (const name of ['username', 'password', 'grant_type'] as const) {
    it(`treats a missing or empty ${name} as missing (400 invalid_request)`, async () => {
      const params: Record<string, string> = { ...backend, ...alice };
      delete params[name];
      const missing = await server.token(params);
      const empty = await server.token({ ...params, [name]: '' });
      for (const res of [missing, empty]) {
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, {
          error: 'invalid_request',
          error_description: `Missing required parameter: ${name}`,
        });
      }
    });
  }

  it('ignores unknown parameters (TE-4)', async () => {
    const res = await server.token({ ...backend, ...alice, audience: API, foo: 'bar' });
    assert.equal(res.status, 200);
  });

  it('never logs the password, the client secret or the tokens', async () => {
    const res = await server.token({ ...backend, ...alice, audience: API });
    await new Promise((r) => setTimeout(r, 20));
    const text = server.logText();
    for (const secret of [
      ALICE.password,
      SECRET,
      String(res.body.access_token),
      String(res.body.id_token),
    ]) {
      assert.equal(text.includes(secret), false);
    }
  });
});

function decodeIdToken(token: string): unknown {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
}

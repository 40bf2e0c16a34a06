import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { ALICE, baseTenant, SECRET } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';

const login = { grant_type: 'password', username: ALICE.email, password: ALICE.password };
const UNAUTHORIZED = { error: 'access_denied', error_description: 'Unauthorized' };
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function basic(id: string, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

describe('client authentication', () => {
  let server: TestServer;
  let jwtKey: KeyObject;
  before(async () => {
    const fixture = baseTenant();
    jwtKey = fixture.jwtClientKey;
    (fixture.tenant.clients as Array<Record<string, unknown>>).push({
      client_id: 'odd:id',
      name: 'Odd',
      client_secret: 'p@ss word:+/',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['password'],
    });
    (
      (fixture.tenant.connections as Array<{ enabled_clients: string[] }>)[0]?.enabled_clients ?? []
    ).push('odd:id');
    server = await startTestServer(fixture.tenant);
  });
  after(() => server.close());

  function assertion(claims: Record<string, unknown> = {}, key: KeyObject = jwtKey, alg = 'RS256') {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iss: 'jwt-client',
      sub: 'jwt-client',
      aud: server.issuer,
      iat: now,
      exp: now + 120,
      jti: randomUUID(),
    };
    return new SignJWT({ ...payload, ...claims }).setProtectedHeader({ alg }).sign(key);
  }

  it('accepts the secret in the body (client_secret_post)', async () => {
    const res = await server.token({ ...login, client_id: 'backend', client_secret: SECRET });
    assert.equal(res.status, 200);
  });

  it('accepts HTTP Basic with RFC 6749 form-encoding of id and secret', async () => {
    const res = await server.token(login, {
      headers: { authorization: basic('odd:id', 'p@ss word:+/') },
    });
    assert.equal(res.status, 200);
  });

  it('accepts either secret placement for secret clients', async () => {
    const res = await server.token({
      ...login,
      client_id: 'basic-client',
      client_secret: 'basic-secret',
    });
    assert.equal(res.status, 200);
  });

  it('answers a wrong or missing secret with 401 access_denied Unauthorized', async () => {
    const wrong = await server.token({ ...login, client_id: 'backend', client_secret: 'nope' });
    const missing = await server.token({ ...login, client_id: 'backend' });
    const unknown = await server.token({ ...login, client_id: 'ghost', client_secret: 'x' });
    for (const res of [wrong, missing, unknown]) {
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, UNAUTHORIZED);
      assert.equal(res.headers.get('www-authenticate'), null);
    }
  });

  it('rejects a wrong secret even after the right one was cached', async () => {
    assert.equal(
      (await server.token({ ...login, client_id: 'backend', client_secret: SECRET })).status,
      200,
    );
    const res = await server.token({ ...login, client_id: 'backend', client_secret: `${SECRET}x` });
    assert.equal(res.status, 401);
  });

  it('adds WWW-Authenticate: Basic when Basic credentials fail (RFC 6749 §5.2)', async () => {
    const res = await server.token(login, {
      headers: { authorization: basic('basic-client', 'wrong') },
    });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, UNAUTHORIZED);
    assert.equal(res.headers.get('www-authenticate'), 'Basic realm="latchkey"');
  });

  it('rejects two authentication methods in one request', async () => {
    const res = await server.token(
      { ...login, client_id: 'basic-client', client_secret: 'basic-secret' },
      { headers: { authorization: basic('basic-client', 'basic-secret') } },
    );
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      error: 'invalid_request',
      error_description: 'Only one client authentication method may be used',
    });
  });

  it('rejects a body client_id that differs from the Basic one', async () => {
    const res = await server.token(
      { ...login, client_id: 'backend' },
      { headers: { authorization: basic('basic-client', 'basic-secret') } },
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.error_description, 'client_id does not match the client authentication');
  });

  it('requires client_id', async () => {
    const res = await server.token(login);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      error: 'invalid_request',
      error_description: 'Missing required parameter: client_id',
    });
  });

  it('lets a public client in with client_id alone, but not with a secret', async () => {
    assert.equal((await server.token({ ...login, client_id: 'cli' })).status, 200);
    const res = await server.token({ ...login, client_id: 'cli', client_secret: 'anything' });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, UNAUTHORIZED);
  });

  it('never accepts credentials in the query string (TE-9)', async () => {
    const response = await fetch(`${server.url}/oauth/token?client_secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...login, client_id: 'backend' }),
    });
    const res = await readResponse(response);
    assert.equal(res.status, 400);
    assert.equal(res.body.error_description, 'Credentials must not be sent in the query string');
  });

  describe('private_key_jwt', () => {
    const withAssertion = (jwt: string) => ({
      ...login,
      client_assertion: jwt,
      client_assertion_type: ASSERTION_TYPE,
    });

    it('accepts a signed assertion once (node-auth0 shape: no kid, aud = issuer)', async () => {
      const jwt = await assertion();
      assert.equal((await server.token(withAssertion(jwt))).status, 200);
      const replay = await server.token(withAssertion(jwt));
      assert.equal(replay.status, 401);
      assert.deepEqual(replay.body, UNAUTHORIZED);
    });

    it('accepts the token endpoint as audience too', async () => {
      const jwt = await assertion({ aud: `${server.url}/oauth/token` });
      assert.equal((await server.token(withAssertion(jwt))).status, 200);
    });

    const bad: Array<[string, () => Promise<string>]> = [
      ['another audience', () => assertion({ aud: 'https://elsewhere.example.com/' })],
      ['a lifetime over 5 minutes', () => assertion({ exp: Math.floor(Date.now() / 1000) + 600 })],
      ['an expired assertion', () => assertion({ exp: Math.floor(Date.now() / 1000) - 60 })],
      ['a jti over 64 characters', () => assertion({ jti: 'x'.repeat(65) })],
      [
        'an unregistered key',
        () => assertion({}, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
      ],
      ['an algorithm other than the registered one', () => assertion({}, jwtKey, 'PS256')],
      [
        'alg none',
        async () =>
          `${b64({ alg: 'none' })}.${b64({ iss: 'jwt-client', sub: 'jwt-client', jti: 'n', exp: 9e9, aud: server.issuer })}.`,
      ],
      ['garbage', async () => 'not.a.jwt'],
    ];
    for (const [name, make] of bad) {
      it(`rejects ${name}`, async () => {
        const res = await server.token({ ...withAssertion(await make()), client_id: 'jwt-client' });
        assert.equal(res.status, 401);
        assert.deepEqual(res.body, UNAUTHORIZED);
      });
    }

    it('rejects a wrong client_assertion_type', async () => {
      const res = await server.token({
        ...login,
        client_assertion: await assertion(),
        client_assertion_type: 'urn:x',
      });
      assert.equal(res.status, 401);
    });

    it('requires the assertion from a private_key_jwt client', async () => {
      const res = await server.token({ ...login, client_id: 'jwt-client', client_secret: 'guess' });
      assert.equal(res.status, 401);
    });
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

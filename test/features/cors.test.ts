import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALICE, baseTenant, DB, PASSWORD_REALM } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';

const APP = 'http://app.example.com';
const OTHER = 'http://backend.example.com';
const EVIL = 'http://evil.example.com';

describe('CORS from client allowed_origins / web_origins', () => {
  let server: TestServer;
  before(async () => {
    const { tenant } = baseTenant();
    const clients = tenant.clients as Array<Record<string, unknown>>;
    for (const client of clients) {
      if (client.client_id === 'cli') client.allowed_origins = [APP];
      if (client.client_id === 'backend') client.web_origins = [OTHER];
    }
    server = await startTestServer(tenant);
  });
  after(() => server.close());

  const preflight = (path: string, origin: string) =>
    fetch(`${server.url}${path}`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,auth0-client',
      },
    });

  const login = (origin: string, clientId: string, password = ALICE.password) =>
    fetch(`${server.url}/oauth/token`, {
      method: 'POST',
      headers: {
        origin,
        'content-type': 'application/json',
        'auth0-client': 'eyJuYW1lIjoiYXV0aDAuanMifQ',
      },
      body: JSON.stringify({
        grant_type: PASSWORD_REALM,
        client_id: clientId,
        realm: DB,
        username: ALICE.email,
        password,
      }),
    }).then(readResponse);

  for (const path of ['/oauth/token', '/oauth/revoke', '/userinfo']) {
    it(`answers the preflight of ${path} for a listed origin`, async () => {
      const res = await preflight(path, APP);
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), APP);
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
      assert.match(
        (res.headers.get('access-control-allow-headers') ?? '').toLowerCase(),
        /auth0-client/,
      );
      assert.match(res.headers.get('vary') ?? '', /Origin/);
    });
  }

  it('gives no CORS headers to an origin no client lists', async () => {
    const res = await preflight('/oauth/token', EVIL);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const token = await login(EVIL, 'cli');
    assert.equal(token.headers.get('access-control-allow-origin'), null);
  });

  it('allows a token request from an origin of that same client, errors included', async () => {
    const ok = await login(APP, 'cli');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), APP);
    const wrong = await login(APP, 'cli', 'wrong');
    assert.equal(wrong.status, 403);
    assert.equal(
      wrong.headers.get('access-control-allow-origin'),
      APP,
      'the browser can read the error',
    );
  });

  it('refuses CORS when the origin belongs to another client (web_origins count)', async () => {
    const res = await login(APP, 'backend');
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const backend = await fetch(`${server.url}/.well-known/jwks.json`, {
      headers: { origin: OTHER },
    });
    assert.equal(backend.headers.get('access-control-allow-origin'), OTHER);
  });

  it('serves the well-known documents to listed origins only', async () => {
    for (const path of ['/.well-known/jwks.json', '/.well-known/openid-configuration']) {
      const allowed = await fetch(`${server.url}${path}`, { headers: { origin: APP } });
      assert.equal(allowed.headers.get('access-control-allow-origin'), APP, path);
      const denied = await fetch(`${server.url}${path}`, { headers: { origin: EVIL } });
      assert.equal(denied.headers.get('access-control-allow-origin'), null, path);
    }
  });

  it('sends no CORS headers without an Origin header', async () => {
    const res = await fetch(`${server.url}/.well-known/jwks.json`);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALICE, API, baseTenant, SECRET } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';

const INVALID = { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' };

describe('POST /oauth/revoke', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(baseTenant().tenant);
  });
  after(() => server.close());

  async function refreshToken(clientId = 'backend', secret: string | null = SECRET) {
    const res = await server.token({
      grant_type: 'password',
      client_id: clientId,
      ...(secret ? { client_secret: secret } : {}),
      username: ALICE.email,
      password: ALICE.password,
      audience: API,
      scope: 'offline_access',
    });
    assert.equal(res.status, 200);
    return String(res.body.refresh_token);
  }

  async function revoke(body: Record<string, string>, json = false) {
    const response = await fetch(`${server.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
      body: json ? JSON.stringify(body) : new URLSearchParams(body),
    });
    return { ...(await readResponse(response)), text: '' };
  }

  const refresh = (token: string) =>
    server.token({
      grant_type: 'refresh_token',
      client_id: 'backend',
      client_secret: SECRET,
      refresh_token: token,
    });

  it('revokes a refresh token: 200 with an empty body, then the token is dead', async () => {
    const token = await refreshToken();
    assert.equal((await refresh(token)).status, 200);
    const response = await fetch(`${server.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'backend', client_secret: SECRET, token }),
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual((await refresh(token)).body, INVALID);
    assert.ok(server.logs.some((l) => (l.event as { type?: string } | undefined)?.type === 'srrt'));
  });

  it('accepts JSON as Auth0 SDKs send it', async () => {
    const token = await refreshToken();
    assert.equal(
      (await revoke({ client_id: 'backend', client_secret: SECRET, token }, true)).status,
      200,
    );
    assert.deepEqual((await refresh(token)).body, INVALID);
  });

  it('revokes the whole family of a rotated token', async () => {
    const { tenant } = baseTenant();
    (tenant.clients as Array<Record<string, unknown>>)[0] = {
      ...(tenant.clients as Array<Record<string, unknown>>)[0],
      refresh_token: { rotation_type: 'rotating', expiration_type: 'expiring' },
    };
    const rotating = await (await import('../helpers/server.js')).startTestServer(tenant);
    try {
      const login = await rotating.token({
        grant_type: 'password',
        client_id: 'backend',
        client_secret: SECRET,
        username: ALICE.email,
        password: ALICE.password,
        audience: API,
        scope: 'offline_access',
      });
      const first = String(login.body.refresh_token);
      const second = await rotating.token({
        grant_type: 'refresh_token',
        client_id: 'backend',
        client_secret: SECRET,
        refresh_token: first,
      });
      const next = String(second.body.refresh_token);
      const response = await fetch(`${rotating.url}/oauth/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'backend', client_secret: SECRET, token: first }),
      });
      assert.equal(response.status, 200);
      const after = await rotating.token({
        grant_type: 'refresh_token',
        client_id: 'backend',
        client_secret: SECRET,
        refresh_token: next,
      });
      assert.deepEqual(after.body, INVALID);
    } finally {
      await rotating.close();
    }
  });

  it('answers 200 for an unknown token and leaves other clients tokens alone', async () => {
    assert.equal(
      (await revoke({ client_id: 'backend', client_secret: SECRET, token: 'unknown' })).status,
      200,
    );
    const theirs = await refreshToken('cli', null);
    assert.equal(
      (await revoke({ client_id: 'backend', client_secret: SECRET, token: theirs })).status,
      200,
    );
    const stillWorks = await server.token({
      grant_type: 'refresh_token',
      client_id: 'cli',
      refresh_token: theirs,
    });
    assert.equal(stillWorks.status, 200);
  });

  it('lets a public client revoke its own token with client_id alone', async () => {
    const token = await refreshToken('cli', null);
    assert.equal((await revoke({ client_id: 'cli', token })).status, 200);
    assert.deepEqual(
      (await server.token({ grant_type: 'refresh_token', client_id: 'cli', refresh_token: token }))
        .body,
      INVALID,
    );
  });

  it('requires client authentication and the token parameter', async () => {
    const token = await refreshToken();
    const wrong = await revoke({ client_id: 'backend', client_secret: 'nope', token });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: 'access_denied', error_description: 'Unauthorized' });
    assert.equal((await refresh(token)).status, 200, 'not revoked');
    const missing = await revoke({ client_id: 'backend', client_secret: SECRET });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, {
      error: 'invalid_request',
      error_description: 'Missing required parameter: token',
    });
  });
});

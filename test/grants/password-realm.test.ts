import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  ALICE,
  API,
  baseTenant,
  CAROL,
  DB,
  EMPLOYEES,
  PASSWORD_REALM,
  SECRET,
} from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backend = { grant_type: PASSWORD_REALM, client_id: 'backend', client_secret: SECRET };

describe('grant_type=http://auth0.com/oauth/grant-type/password-realm', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(baseTenant().tenant);
  });
  after(() => server.close());

  it('logs in to the connection named by realm', async () => {
    const res = await server.token({
      ...backend,
      realm: EMPLOYEES,
      username: CAROL.email,
      password: CAROL.password,
      audience: API,
    });
    assert.equal(res.status, 200);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(String(res.body.access_token), jwks, {
      issuer: server.issuer,
      audience: API,
    });
    assert.equal(payload.gty, 'password');
    assert.match(String(payload.sub), /^auth0\|[0-9a-f]{24}$/);
  });

  it('looks users up only in that connection', async () => {
    const res = await server.token({
      ...backend,
      realm: DB,
      username: CAROL.email,
      password: CAROL.password,
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'invalid_grant',
      error_description: 'Wrong email or password.',
    });
  });

  it('requires realm', async () => {
    const res = await server.token({ ...backend, username: ALICE.email, password: ALICE.password });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      error: 'invalid_request',
      error_description: 'Missing required parameter: realm',
    });
  });

  it('rejects an unknown realm', async () => {
    const res = await server.token({
      ...backend,
      realm: 'nope',
      username: ALICE.email,
      password: ALICE.password,
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      error: 'invalid_request',
      error_description: 'Unknown realm nope.',
    });
  });

  it('rejects a connection that is not enabled for the client', async () => {
    const res = await server.token({
      grant_type: PASSWORD_REALM,
      client_id: 'cli',
      realm: EMPLOYEES,
      username: CAROL.email,
      password: CAROL.password,
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      error: 'invalid_request',
      error_description: 'the connection was disabled',
    });
  });

  it('is refused to a client without the grant, naming the grant type', async () => {
    const res = await server.token({
      grant_type: PASSWORD_REALM,
      client_id: 'no-grants',
      client_secret: 'no-grants-secret',
      realm: DB,
      username: ALICE.email,
      password: ALICE.password,
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'unauthorized_client',
      error_description:
        "Grant type 'http://auth0.com/oauth/grant-type/password-realm' not allowed for the client.",
    });
  });

  it('works for a public client with no secret (auth0-js style JSON)', async () => {
    const res = await server.token(
      {
        grant_type: PASSWORD_REALM,
        client_id: 'cli',
        realm: DB,
        username: ALICE.email,
        password: ALICE.password,
        scope: 'openid',
      },
      { json: true },
    );
    assert.equal(res.status, 200);
    assert.equal(typeof res.body.id_token, 'string');
  });
});

/**
 * Auth0's Node SDK (`auth0` 6, `AuthenticationClient`), unmodified, against a real Latchkey over
 * HTTPS: the SDK runs in a child process that trusts the test CA through NODE_EXTRA_CA_CERTS.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ALICE, ALICE_ID, API } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';
import {
  type ClientRun,
  clientEnv,
  errorOf,
  killClients,
  okValue,
  runClient,
  sdkTenant,
} from './support.js';

describe('auth0 (Node SDK) AuthenticationClient', { timeout: 60_000 }, () => {
  let pki: TestPki;
  let server: TestServer;
  let run: ClientRun;
  before(async () => {
    pki = await makeTestPki();
    server = await startTestServer(sdkTenant(), {
      tls: { certFile: pki.certFile, keyFile: pki.keyFile },
      host: 'localhost',
    });
    const { host, port } = new URL(server.url);
    assert.equal(server.issuer, `https://${host}/`);
    run = await runClient(
      'auth0-node.ts',
      clientEnv({
        NODE_EXTRA_CA_CERTS: pki.caFile,
        SDK_DOMAIN: host,
        SDK_ALT_DOMAIN: `127.0.0.1:${port}`,
        SDK_AUDIENCE: API,
      }),
    );
  });
  after(async () => {
    await killClients();
    await server?.close();
    if (pki) rmSync(pki.dir, { recursive: true, force: true });
  });

  it('runs every step as expected', () => {
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  });

  it('passwordGrant without realm (grant_type=password): the SDK accepts the ID token', () => {
    const res = okValue(run.report, 'password');
    assert.equal(res.status, 200);
    assert.equal(res.token_type, 'Bearer');
    assert.equal(typeof res.expires_in, 'number');
    const id = res.id_token as Record<string, unknown>;
    assert.equal(id.iss, server.issuer);
    assert.equal(id.aud, 'backend');
    assert.equal(id.sub, ALICE_ID);
    assert.equal(id.email, ALICE.email);
    assert.equal(server.logText().includes(ALICE.password), false, 'the password is never logged');
  });

  it('passwordGrant with realm (password-realm grant)', () => {
    const res = okValue(run.report, 'realm');
    assert.equal(res.status, 200);
    const id = res.id_token as Record<string, unknown>;
    assert.equal(id.sub, ALICE_ID);
    assert.equal(id.aud, 'backend');
  });

  it('passwordGrant with audience: an API access token and a refresh token', () => {
    const res = okValue(run.report, 'audience');
    assert.equal(res.status, 200);
    assert.equal(res.has_refresh_token, true);
    const at = res.access_token as Record<string, unknown>;
    const aud = Array.isArray(at.aud) ? at.aud : [at.aud];
    assert.ok(aud.includes(API), `aud ${JSON.stringify(at.aud)}`);
    assert.equal(at.sub, ALICE_ID);
    assert.equal(at.iss, server.issuer);
    assert.match(String(at.scope), /\bread:messages\b/);
    assert.equal((res.id_token as Record<string, unknown>).sub, ALICE_ID);
  });

  it('refreshTokenGrant: a new access token and an ID token the SDK accepts', () => {
    const res = okValue(run.report, 'refresh');
    assert.equal(res.status, 200);
    const at = res.access_token as Record<string, unknown>;
    assert.equal(at.sub, ALICE_ID);
    assert.equal(at.gty, 'refresh_token');
    assert.equal((res.id_token as Record<string, unknown>).sub, ALICE_ID);
  });

  it('UserInfoClient reads /userinfo with the access token', () => {
    const res = okValue(run.report, 'userinfo');
    assert.equal(res.status, 200);
    assert.equal(res.sub, ALICE_ID);
    assert.equal(res.email, ALICE.email);
  });

  it("a wrong password is the SDK's AuthApiError: invalid_grant, 403", () => {
    const err = errorOf(run.report, 'wrongPassword');
    assert.equal(err.name, 'AuthApiError');
    assert.equal(err.error, 'invalid_grant');
    assert.equal(err.error_description, 'Wrong email or password.');
    assert.equal(err.statusCode, 403);
  });

  it("the SDK's ID token check is real: reached as 127.0.0.1, the issuer mismatch is refused", () => {
    const err = errorOf(run.report, 'otherIssuer');
    assert.match(String(err.message), /Issuer \(iss\) claim mismatch/);
  });
});

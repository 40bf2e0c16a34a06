/**
 * `openid-client` 6 (a generic OpenID Connect relying party), unmodified, against a real Latchkey
 * over HTTPS: discovery, the password grant as a generic grant, a refresh and /userinfo. The
 * client runs in a child process that trusts the test CA through NODE_EXTRA_CA_CERTS.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ALICE, ALICE_ID, API, PASSWORD_REALM } from '../helpers/fixtures.js';
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

describe('openid-client', { timeout: 60_000 }, () => {
  let pki: TestPki;
  let server: TestServer;
  let run: ClientRun;
  before(async () => {
    pki = await makeTestPki();
    server = await startTestServer(sdkTenant(), {
      tls: { certFile: pki.certFile, keyFile: pki.keyFile },
      host: 'localhost',
    });
    run = await runClient(
      'openid-client.ts',
      clientEnv({ NODE_EXTRA_CA_CERTS: pki.caFile, SDK_ISSUER: server.issuer, SDK_AUDIENCE: API }),
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

  it('discovers the server over HTTPS', () => {
    const metadata = okValue(run.report, 'discovery');
    assert.equal(metadata.issuer, server.issuer);
    assert.equal(metadata.token_endpoint, `${server.url}/oauth/token`);
    assert.equal(metadata.userinfo_endpoint, `${server.url}/userinfo`);
    assert.equal(metadata.jwks_uri, `${server.url}/.well-known/jwks.json`);
    const grants = metadata.grant_types_supported as string[];
    for (const grant of ['password', PASSWORD_REALM, 'refresh_token']) {
      assert.ok(grants.includes(grant), grant);
    }
  });

  it('password grant (generic grant request): tokens and a verified ID token', () => {
    const res = okValue(run.report, 'password');
    assert.equal(res.token_type, 'bearer', 'oauth4webapi lower-cases token_type');
    assert.equal(res.has_refresh_token, true);
    assert.match(String(res.scope), /\boffline_access\b/);
    const at = res.access_token as Record<string, unknown>;
    assert.ok((at.aud as string[]).includes(API), JSON.stringify(at.aud));
    assert.equal(at.gty, 'password');
    const id = res.id_token as Record<string, unknown>;
    assert.equal(id.iss, server.issuer);
    assert.equal(id.aud, 'backend');
    assert.equal(id.sub, ALICE_ID);
  });

  it('password-realm grant (generic grant request)', () => {
    const res = okValue(run.report, 'realm');
    assert.equal((res.id_token as Record<string, unknown>).sub, ALICE_ID);
  });

  it('refreshTokenGrant: a new access token and a verified ID token', () => {
    const res = okValue(run.report, 'refresh');
    assert.equal((res.access_token as Record<string, unknown>).gty, 'refresh_token');
    assert.equal((res.id_token as Record<string, unknown>).sub, ALICE_ID);
  });

  it('fetchUserInfo: the claims of the user, subject checked', () => {
    const info = okValue(run.report, 'userinfo');
    assert.equal(info.sub, ALICE_ID);
    assert.equal(info.email, ALICE.email);
    assert.equal(info.name, 'Alice Example');
  });

  it('a wrong password is a ResponseBodyError: invalid_grant, 403', () => {
    const err = errorOf(run.report, 'wrongPassword');
    assert.equal(err.name, 'ResponseBodyError');
    assert.equal(err.error, 'invalid_grant');
    assert.equal(err.error_description, 'Wrong email or password.');
    assert.equal(err.status, 403);
  });
});

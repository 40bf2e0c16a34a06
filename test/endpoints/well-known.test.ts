import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { baseTenant } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';

describe('discovery and JWKS', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(baseTenant().tenant);
  });
  after(() => server.close());

  it('publishes the JWKS in Auth0 shape with x5c and x5t', async () => {
    const res = await readResponse(await fetch(`${server.url}/.well-known/jwks.json`));
    assert.equal(res.status, 200);
    const keys = res.body.keys as Array<Record<string, unknown>>;
    assert.equal(keys.length, 2, 'current and next');
    for (const key of keys) {
      assert.deepEqual(Object.keys(key).sort(), [
        'alg',
        'e',
        'kid',
        'kty',
        'n',
        'use',
        'x5c',
        'x5t',
      ]);
      assert.equal(key.kty, 'RSA');
      assert.equal(key.use, 'sig');
      assert.equal(key.alg, 'RS256');
      const der = Buffer.from((key.x5c as string[])[0] ?? '', 'base64');
      const cert = new X509Certificate(der);
      assert.equal(createHash('sha1').update(der).digest('base64url'), key.x5t);
      const certJwk = cert.publicKey.export({ format: 'jwk' });
      assert.equal(certJwk.n, key.n, 'the certificate holds the same public key');
      assert.ok(cert.verify(cert.publicKey), 'self-signed');
    }
  });

  it('signs with a key that the JWKS publishes, with a stable kid', async () => {
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    const token = await server.token({
      grant_type: 'password',
      client_id: 'cli',
      username: 'alice',
      password: 'correct horse battery staple',
      audience: 'https://api.example.com',
    });
    const { protectedHeader } = await jwtVerify(
      String(token.body.access_token),
      createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]),
    );
    assert.ok(jwks.keys.some((k) => k.kid === protectedHeader.kid));
    assert.equal(protectedHeader.kid, server.provider.keys.active.kid);
  });

  it('serves the discovery document with the issuer and endpoints', async () => {
    const res = await readResponse(await fetch(`${server.url}/.well-known/openid-configuration`));
    assert.equal(res.status, 200);
    const doc = res.body;
    assert.equal(doc.issuer, `${server.url}/`);
    assert.equal(doc.token_endpoint, `${server.url}/oauth/token`);
    assert.equal(doc.userinfo_endpoint, `${server.url}/userinfo`);
    assert.equal(doc.jwks_uri, `${server.url}/.well-known/jwks.json`);
    assert.equal(doc.revocation_endpoint, `${server.url}/oauth/revoke`);
    assert.equal(doc.mfa_challenge_endpoint, `${server.url}/mfa/challenge`);
    assert.deepEqual(doc.grant_types_supported, [
      'password',
      'http://auth0.com/oauth/grant-type/password-realm',
      'refresh_token',
      'client_credentials',
      'http://auth0.com/oauth/grant-type/mfa-otp',
      'http://auth0.com/oauth/grant-type/mfa-oob',
      'http://auth0.com/oauth/grant-type/mfa-recovery-code',
    ]);
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'none',
    ]);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(doc.subject_types_supported, ['public']);
  });
});

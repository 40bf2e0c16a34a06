import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALICE, API, baseTenant, SECRET } from '../helpers/fixtures.js';
import { httpsRequest } from '../helpers/https-request.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { makeTestPki, type TestPki } from '../helpers/tls.js';

const login = {
  grant_type: 'password',
  client_id: 'backend',
  client_secret: SECRET,
  username: ALICE.email,
  password: ALICE.password,
  audience: API,
};
const form = { 'content-type': 'application/x-www-form-urlencoded' };

function lastIp(server: TestServer): unknown {
  const events = server.logs.filter(
    (l) => (l.event as { type?: string } | undefined)?.type === 'sepft',
  );
  return (events.at(-1)?.event as { ip?: string } | undefined)?.ip;
}

describe('HTTPS', () => {
  let pki: TestPki;
  let server: TestServer;
  before(async () => {
    pki = await makeTestPki();
    server = await startTestServer(baseTenant().tenant, {
      tls: { certFile: pki.certFile, keyFile: pki.keyFile },
    });
  });
  after(async () => {
    await server.close();
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('serves HTTPS and defaults the issuer to https://host:port/', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.issuer, `${server.url}/`);
    const doc = await httpsRequest(`${server.url}/.well-known/openid-configuration`, {
      ca: pki.caPem,
    });
    assert.equal(doc.body.issuer, `${server.url}/`);
    assert.equal(doc.body.token_endpoint, `${server.url}/oauth/token`);
  });

  it('issues tokens over HTTPS with keep-alive', async () => {
    const res = await httpsRequest(`${server.url}/oauth/token`, {
      ca: pki.caPem,
      method: 'POST',
      headers: form,
      body: new URLSearchParams(login).toString(),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('connection'), 'keep-alive');
    const payload = JSON.parse(
      Buffer.from(String(res.body.access_token).split('.')[1] ?? '', 'base64url').toString(),
    );
    assert.equal(payload.iss, `${server.url}/`);
  });

  it('refuses clients that do not trust the certificate', async () => {
    await assert.rejects(fetch(`${server.url}/.well-known/jwks.json`));
  });
});

describe('TLS files that cannot serve', () => {
  let pki: TestPki;
  let other: TestPki;
  before(async () => {
    [pki, other] = await Promise.all([makeTestPki(), makeTestPki()]);
  });
  after(() => {
    for (const { dir } of [pki, other]) rmSync(dir, { recursive: true, force: true });
  });
  const start = (certFile: string, keyFile: string) =>
    startTestServer(baseTenant().tenant, { tls: { certFile, keyFile } });

  it('is refused before the server starts, naming the file and what is wrong with it', async () => {
    await assert.rejects(start(pki.keyFile, pki.keyFile), {
      name: 'ConfigError',
      message: `TLS certificate ${pki.keyFile}: not a PEM certificate (no "-----BEGIN CERTIFICATE-----" block)`,
    });
    await assert.rejects(start(pki.certFile, pki.certFile), {
      name: 'ConfigError',
      message: new RegExp(`^TLS key ${pki.certFile}: not a PEM key \\(`),
    });
    await assert.rejects(start(pki.certFile, other.keyFile), {
      name: 'ConfigError',
      message: `TLS key ${other.keyFile} is not the key of the certificate ${pki.certFile}`,
    });
    const der = join(pki.dir, 'server.der');
    writeFileSync(der, new X509Certificate(readFileSync(pki.certFile)).raw);
    await assert.rejects(start(der, pki.keyFile), {
      message: `TLS certificate ${der}: not a PEM certificate (no "-----BEGIN CERTIFICATE-----" block)`,
    });
    const brokenChain = join(pki.dir, 'broken-chain.pem');
    const pem = readFileSync(pki.certFile, 'utf8');
    writeFileSync(
      brokenChain,
      `${pem}-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n`,
    );
    await assert.rejects(start(brokenChain, pki.keyFile), {
      message: new RegExp(`^TLS certificate ${brokenChain}: not a PEM certificate \\(`),
    });
    const encrypted = join(pki.dir, 'encrypted.key');
    const key = createPrivateKey(readFileSync(pki.keyFile));
    writeFileSync(
      encrypted,
      key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }),
    );
    await assert.rejects(start(pki.certFile, encrypted), {
      message: `TLS key ${encrypted}: an encrypted key is not supported; give it decrypted`,
    });
    await assert.rejects(start(`${pki.dir}/missing.pem`, pki.keyFile), {
      name: 'ConfigError',
      message: `TLS certificate ${pki.dir}/missing.pem: ENOENT`,
    });
  });
});

describe('behind a trusted proxy', () => {
  let server: TestServer;
  let direct: TestServer;
  before(async () => {
    server = await startTestServer(baseTenant().tenant, {
      trustProxy: ['127.0.0.1'],
      issuer: 'https://auth.example.com',
    });
    direct = await startTestServer(baseTenant().tenant);
  });
  after(async () => {
    await server.close();
    await direct.close();
  });

  it('takes the client IP from X-Forwarded-For of a trusted proxy', async () => {
    const res = await server.token(login, {
      headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.9', 'x-forwarded-proto': 'https' },
    });
    assert.equal(res.status, 200);
    assert.equal(lastIp(server), '203.0.113.9', 'right-most untrusted hop');
  });

  it('ignores X-Forwarded-For from a peer that is not a declared proxy (S5)', async () => {
    const res = await direct.token(login, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(res.status, 200);
    assert.equal(lastIp(direct), '127.0.0.1');
  });

  it('refuses credentials that reached the proxy over plain HTTP when the issuer is https (TE-2)', async () => {
    for (const headers of [{}, { 'x-forwarded-proto': 'http' }] as Array<Record<string, string>>) {
      const res = await server.token(login, { headers });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        error: 'invalid_request',
        error_description: 'HTTPS is required',
      });
      assert.equal(res.headers.get('cache-control'), 'no-store');
    }
    const discovery = await fetch(`${server.url}/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200, 'public documents stay reachable');
  });
});

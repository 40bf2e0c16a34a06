import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { rotateSigningKeys } from '../../src/keys/key-rotation.js';
import { ALICE, API, baseTenant, SECRET } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const request = {
  grant_type: 'password',
  client_id: 'backend',
  client_secret: SECRET,
  username: ALICE.email,
  password: ALICE.password,
  audience: API,
};

async function publishedKids(server: TestServer): Promise<string[]> {
  const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
    keys: Array<{ kid: string }>;
  };
  return jwks.keys.map((k) => k.kid).sort();
}

describe('signing key rotation (JW-5)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(baseTenant().tenant);
  });
  after(() => server.close());

  it('publishes next before it signs, keeps previous published, retires the one before', async () => {
    const keys = await server.storage.signingKeys.list();
    const current = keys.find((k) => k.status === 'current')?.kid;
    const next = keys.find((k) => k.status === 'next')?.kid;
    assert.ok(current && next);
    assert.deepEqual(await publishedKids(server), [current, next].sort());

    const before = await server.token(request);
    assert.equal(decodeProtectedHeader(String(before.body.access_token)).kid, current);

    const first = await rotateSigningKeys(server.storage, new Date());
    assert.deepEqual([first.current, first.previous], [next, current]);
    await server.provider.keys.refresh();
    assert.deepEqual(await publishedKids(server), [current, next, first.next].sort());

    const afterRotation = await server.token(request);
    assert.equal(decodeProtectedHeader(String(afterRotation.body.access_token)).kid, next);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    await jwtVerify(String(before.body.access_token), jwks, { issuer: server.issuer });
    await jwtVerify(String(afterRotation.body.access_token), jwks, { issuer: server.issuer });

    const second = await rotateSigningKeys(server.storage, new Date());
    await server.provider.keys.refresh();
    assert.deepEqual(await publishedKids(server), [next, first.next, second.next].sort());
    const retired = (await server.storage.signingKeys.list()).find((k) => k.kid === current);
    assert.equal(retired?.status, 'retired');
    await assert.rejects(
      jwtVerify(
        String(before.body.access_token),
        createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)),
        {
          issuer: server.issuer,
        },
      ),
    );
  });

  it('keeps exactly one current, next and previous key when two rotations race', async () => {
    const results = await Promise.allSettled([
      rotateSigningKeys(server.storage, new Date()),
      rotateSigningKeys(server.storage, new Date()),
    ]);
    const keys = await server.storage.signingKeys.list();
    assert.equal(keys.filter((k) => k.status === 'current').length, 1);
    assert.equal(keys.filter((k) => k.status === 'next').length, 1);
    assert.equal(keys.filter((k) => k.status === 'previous').length, 1);
    assert.ok(results.some((r) => r.status === 'fulfilled'));
    assert.equal(new Set(keys.map((k) => k.kid)).size, keys.length);
  });
});

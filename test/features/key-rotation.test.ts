import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { rotateSigningKeys, SIGNING_HANDOVER_S } from '../../src/keys/key-rotation.js';
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

  it('publishes next before it signs, keeps previous keys until every token they signed has expired', async () => {
    const keys = await server.storage.signingKeys.list();
    const current = keys.find((k) => k.status === 'current')?.kid;
    const next = keys.find((k) => k.status === 'next')?.kid;
    assert.ok(current && next);
    assert.deepEqual(await publishedKids(server), [current, next].sort());

    const before = await server.token(request);
    assert.equal(decodeProtectedHeader(String(before.body.access_token)).kid, current);

    const t0 = Date.now();
    const first = await rotateSigningKeys(server.storage, new Date(t0));
    assert.deepEqual([first.current, first.previous], [next, current]);
    await server.provider.keys.refresh();
    assert.deepEqual(await publishedKids(server), [current, next, first.next].sort());

    const afterRotation = await server.token(request);
    assert.equal(decodeProtectedHeader(String(afterRotation.body.access_token)).kid, next);
    const verify = (token: unknown) =>
      jwtVerify(String(token), createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`)), {
        issuer: server.issuer,
      });
    await verify(before.body.access_token);
    await verify(afterRotation.body.access_token);

    // a second rotation at once: the first key's tokens have not expired, so it stays published
    const second = await rotateSigningKeys(server.storage, new Date(t0 + 1_000));
    await server.provider.keys.refresh();
    assert.deepEqual(await publishedKids(server), [current, next, first.next, second.next].sort());
    await verify(before.body.access_token);

    // the longest lifetime of the tenant's tokens (the APIs' access tokens, the clients' ID tokens)
    const apis = await server.storage.resourceServers.list();
    const clients = await server.storage.clients.list();
    const longestS = Math.max(
      ...apis.map((api) => api.token_lifetime),
      ...clients.map((client) => client.jwt_configuration.lifetime_in_seconds),
    );
    const keptUntil = t0 + (longestS + SIGNING_HANDOVER_S) * 1000;
    const third = await rotateSigningKeys(server.storage, new Date(keptUntil - 1_000));
    await server.provider.keys.refresh();
    assert.ok((await publishedKids(server)).includes(current), 'one second before, still there');

    await rotateSigningKeys(server.storage, new Date(keptUntil));
    await server.provider.keys.refresh();
    const stored = await server.storage.signingKeys.list();
    assert.equal(stored.find((k) => k.kid === current)?.status, 'retired');
    assert.equal(
      stored.find((k) => k.kid === next)?.status,
      'previous',
      'it signed until t0 + 1 s',
    );
    assert.equal(stored.find((k) => k.kid === third.previous)?.status, 'previous');
    assert.equal((await publishedKids(server)).includes(current), false);
    await assert.rejects(verify(before.body.access_token));
  });

  it('keeps exactly one current and next key when two rotations race', async () => {
    const previous = async () =>
      (await server.storage.signingKeys.list()).filter((k) => k.status === 'previous').length;
    const before = await previous();
    const results = await Promise.allSettled([
      rotateSigningKeys(server.storage, new Date()),
      rotateSigningKeys(server.storage, new Date()),
    ]);
    const keys = await server.storage.signingKeys.list();
    assert.equal(keys.filter((k) => k.status === 'current').length, 1);
    assert.equal(keys.filter((k) => k.status === 'next').length, 1);
    const done = results.filter((r) => r.status === 'fulfilled').length;
    assert.ok(done >= 1);
    assert.equal(await previous(), before + done, 'each rotation that went through added one');
    assert.equal(new Set(keys.map((k) => k.kid)).size, keys.length);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hash as argon2Hash } from '@node-rs/argon2';
import { CountingHasher } from '../helpers/counting-hasher.js';
import { ALICE, baseTenant, DAVE, DB, SECRET } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const backend = { grant_type: 'password', client_id: 'backend', client_secret: SECRET };
const WRONG = { error: 'invalid_grant', error_description: 'Wrong email or password.' };

describe('passwords: hashing, equal work, rehash on login', () => {
  let server: TestServer;
  const hasher = new CountingHasher();
  before(async () => {
    const { tenant } = baseTenant();
    const weak = await argon2Hash('weak-params-password', {
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
    });
    (tenant.users as Array<Record<string, unknown>>).push(
      { connection: DB, email: 'weak@example.com', password_hash: weak },
      { connection: DB, email: 'nopass@example.com' },
    );
    server = await startTestServer(tenant, { hasher });
    // warm the client-secret cache so that only password work is counted below
    assert.equal(
      (await server.token({ ...backend, username: ALICE.email, password: ALICE.password })).status,
      200,
    );
  });
  after(() => server.close());

  it('stores new passwords as argon2id with OWASP parameters', async () => {
    const alice = await server.storage.users.findByLogin(DB, ALICE.email);
    assert.match(alice?.password_hash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(JSON.stringify(alice).includes(ALICE.password), false);
  });

  const failures: Array<[string, Record<string, string>]> = [
    ['a wrong password', { username: ALICE.email, password: 'wrong' }],
    ['an unknown user', { username: 'nobody@example.com', password: 'wrong' }],
    ['a user without a password', { username: 'nopass@example.com', password: 'wrong' }],
    [
      'an oversized password',
      { username: ALICE.email, password: `${ALICE.password}${'x'.repeat(2000)}` },
    ],
  ];
  for (const [name, creds] of failures) {
    it(`spends exactly one verification on ${name} and gives the same answer`, async () => {
      hasher.reset();
      const res = await server.token({ ...backend, ...creds });
      assert.equal(res.status, 403);
      assert.deepEqual(res.body, WRONG);
      assert.equal(hasher.verifies, 1);
      assert.equal(hasher.hashes, 0);
    });
  }

  const free: Array<[string, Record<string, string>, number]> = [
    ['an empty password', { ...backend, username: ALICE.email, password: '' }, 400],
    ['an empty username', { ...backend, username: '', password: 'x' }, 400],
    [
      'a client without the grant',
      { grant_type: 'password', client_id: 'cli-nogrant', username: ALICE.email, password: 'x' },
      401,
    ],
    [
      'an unsupported grant',
      { ...backend, grant_type: 'nope', username: ALICE.email, password: 'x' },
      400,
    ],
    [
      'an unknown audience',
      { ...backend, audience: 'urn:nope', username: ALICE.email, password: 'x' },
      403,
    ],
  ];
  for (const [name, params, status] of free) {
    it(`does no password work for ${name}`, async () => {
      hasher.reset();
      const res = await server.token(params);
      assert.equal(res.status, status);
      assert.equal(hasher.verifies, 0);
    });
  }

  it('does no password work when the grant is not enabled for the client', async () => {
    await server.token({
      grant_type: 'password',
      client_id: 'no-grants',
      client_secret: 'no-grants-secret',
      username: 'x',
      password: 'y',
    });
    hasher.reset();
    const res = await server.token({
      grant_type: 'password',
      client_id: 'no-grants',
      client_secret: 'no-grants-secret',
      username: ALICE.email,
      password: 'x',
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'unauthorized_client',
      error_description: "Grant type 'password' not allowed for the client.",
    });
    assert.equal(hasher.verifies, 0);
  });

  it('verifies an imported bcrypt hash and replaces it with argon2id', async () => {
    const before = await server.storage.users.findByLogin(DB, DAVE.email);
    assert.equal(before?.password_hash, DAVE.hash);
    assert.equal(
      (await server.token({ ...backend, username: DAVE.email, password: 'wrong' })).status,
      403,
    );
    assert.equal(
      (await server.storage.users.findByLogin(DB, DAVE.email))?.password_hash,
      DAVE.hash,
    );
    const res = await server.token({ ...backend, username: DAVE.email, password: DAVE.password });
    assert.equal(res.status, 200);
    const after = await server.storage.users.findByLogin(DB, DAVE.email);
    assert.match(after?.password_hash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(
      (await server.token({ ...backend, username: DAVE.email, password: DAVE.password })).status,
      200,
    );
  });

  it('upgrades an argon2id hash below policy', async () => {
    const res = await server.token({
      ...backend,
      username: 'weak@example.com',
      password: 'weak-params-password',
    });
    assert.equal(res.status, 200);
    const user = await server.storage.users.findByLogin(DB, 'weak@example.com');
    assert.match(user?.password_hash ?? '', /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('verifies exactly what was sent: no trimming, no case folding', async () => {
    for (const variant of [
      ` ${ALICE.password}`,
      `${ALICE.password} `,
      ALICE.password.toUpperCase(),
    ]) {
      assert.equal(
        (await server.token({ ...backend, username: ALICE.email, password: variant })).status,
        403,
      );
    }
  });
});

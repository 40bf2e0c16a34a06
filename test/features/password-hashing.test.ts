import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hash as argon2Hash } from '@node-rs/argon2';
import { hashSync } from '@node-rs/bcrypt';
import { hashProfile } from '../../src/accounts/hash-profile.js';
import type { User } from '../../src/storage/models.js';
import { CountingHasher } from '../helpers/counting-hasher.js';
import { ALICE, baseTenant, DAVE, DB, PASSWORD_REALM, SECRET } from '../helpers/fixtures.js';
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

describe('passwords: a login with no hash to check costs what the connection’s users cost (AU-9)', () => {
  const LEGACY = 'legacy';
  const MIXED = 'mixed';
  const NOBODY = 'nobody-here';
  let server: TestServer;
  const hasher = new CountingHasher();
  const legacyHashes = [hashSync('legacy-one', 4), hashSync('legacy-two', 4)];
  const realm = (realm: string, username: string) => ({
    ...backend,
    grant_type: PASSWORD_REALM,
    realm,
    username,
    password: 'wrong',
  });
  before(async () => {
    const { tenant } = baseTenant();
    const connections = tenant.connections as Array<Record<string, unknown>>;
    for (const name of [LEGACY, MIXED, NOBODY]) {
      connections.push({ name, enabled_clients: ['backend'] });
    }
    (tenant.users as Array<Record<string, unknown>>).push(
      { connection: LEGACY, email: 'one@example.com', password_hash: legacyHashes[0] },
      { connection: LEGACY, email: 'two@example.com', password_hash: legacyHashes[1] },
      { connection: LEGACY, email: 'nopass@example.com' },
      { connection: MIXED, email: 'old@example.com', password_hash: hashSync('old', 5) },
      { connection: MIXED, email: 'new@example.com', password: 'new-password-1' },
      { connection: NOBODY, email: 'nopass@example.com' },
    );
    server = await startTestServer(tenant, { hasher });
    assert.equal((await server.token(realm(LEGACY, 'one@example.com'))).status, 403); // warm the secret
  });
  after(() => server.close());

  async function checkedFor(connection: string, username: string): Promise<string | null> {
    hasher.reset();
    const res = await server.token(realm(connection, username));
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, WRONG);
    assert.equal(hasher.checked.length, 1);
    return hasher.checked[0] ?? null;
  }

  it('an unknown user of a connection of bcrypt users checks a bcrypt decoy of their cost', async () => {
    for (const name of ['ghost@example.com', 'someone-else', 'x']) {
      const checked = await checkedFor(LEGACY, name);
      assert.match(checked ?? '', /^\$2b\$04\$/);
      assert.equal(legacyHashes.includes(checked ?? ''), false, 'not a user’s hash');
    }
  });

  it('so does a user of that connection without a password', async () => {
    assert.match((await checkedFor(LEGACY, 'nopass@example.com')) ?? '', /^\$2b\$04\$/);
  });

  it('a connection of bcrypt and argon2id users gives unknown names both, each name always the same', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 24; i++) {
      const name = `unknown-${i}@example.com`;
      const checked = (await checkedFor(MIXED, name)) ?? '';
      assert.equal(await checkedFor(MIXED, name.toUpperCase()), checked);
      seen.add(hashProfile(checked) ?? 'none');
    }
    assert.deepEqual([...seen].sort(), ['$2b$05$', '$argon2id$v=19$m=19456,t=2,p=1$']);
  });

  it('a connection where nobody has a password falls back to the argon2id dummy', async () => {
    assert.equal(await checkedFor(NOBODY, 'nopass@example.com'), null);
  });

  it('sees users imported while it runs within a refresh', async () => {
    await server.storage.users.upsert({
      ...((await server.storage.users.findByLogin(NOBODY, 'nopass@example.com')) as User),
      password_hash: hashSync('late', 4),
    });
    await server.provider.decoys.refresh();
    assert.match((await checkedFor(NOBODY, 'ghost@example.com')) ?? '', /^\$2b\$04\$/);
  });
});

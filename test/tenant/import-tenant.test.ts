/**
 * @module test/tenant/import-tenant
 *
 * Importing into a real (in-memory SQLite) storage: records written, secrets hashed,
 * cross-references checked before any write, and idempotent re-imports.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { hashFamily } from '../../src/accounts/password-hasher.js';
import { DEFAULT_REFRESH_TOKEN_POLICY } from '../../src/storage/models.js';
import type { Storage } from '../../src/storage/storage.js';
import { importTenant } from '../../src/tenant/import-tenant.js';
import { loadTenantFile } from '../../src/tenant/load-tenant-file.js';
import { freshStorage, hasher, snapshot, tenantRejectionOf, yamlTenant } from './support.js';

const EXAMPLE = new URL('../../examples/tenant.yaml', import.meta.url).pathname;
const ALICE_PASSWORD = 'correct horse battery staple';
const REALM_GRANT = 'http://auth0.com/oauth/grant-type/password-realm';
const T1 = new Date('2030-01-01T00:00:00.000Z');
const T2 = new Date('2030-01-02T00:00:00.000Z');

let storage: Storage;
beforeEach(async () => {
  storage = await freshStorage();
});
afterEach(async () => {
  await storage.close();
});

describe('importing the example tenant', () => {
  test('creates every record and reports the counts', async () => {
    const summary = await importTenant(
      storage,
      await loadTenantFile(EXAMPLE, {}),
      hasher,
      () => T1,
    );
    assert.deepEqual(summary, {
      tenant: { updated: true },
      clients: { created: 3, updated: 0 },
      resource_servers: { created: 1, updated: 0 },
      client_grants: { created: 1, updated: 0 },
      connections: { created: 1, updated: 0 },
      users: { created: 2, updated: 0 },
    });
    assert.deepEqual(await storage.tenant.get(), {
      default_directory: 'Username-Password-Authentication',
      default_audience: null,
      friendly_name: 'Latchkey Example',
      resource_parameter_profile: 'audience',
    });
    const backend = await storage.clients.get('example-backend');
    assert.ok(backend?.client_secret_hash);
    assert.deepEqual(backend, {
      client_id: 'example-backend',
      name: 'Example Backend',
      app_type: 'regular_web',
      grant_types: ['password', REALM_GRANT, 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_post',
      client_secret_hash: backend.client_secret_hash,
      client_authentication_methods: null,
      is_token_endpoint_ip_header_trusted: false,
      jwt_configuration: { lifetime_in_seconds: 36000, alg: 'RS256' },
      refresh_token: DEFAULT_REFRESH_TOKEN_POLICY,
      allowed_origins: [],
      web_origins: [],
      require_proof_of_possession: false,
    });
    assert.equal(await hasher.verify('example-backend-secret', backend.client_secret_hash), true);
    assert.equal((await storage.clients.get('example-cli'))?.client_secret_hash, null);
    const api = await storage.resourceServers.getByIdentifier('https://api.example.com');
    assert.match(api?.id ?? '', /^[0-9a-f]{24}$/);
    assert.deepEqual(
      api?.scopes.map((s) => s.value),
      ['read:messages', 'write:messages'],
    );
    assert.equal(api?.allow_offline_access, true);
    const connection = await storage.connections.getByName('Username-Password-Authentication');
    assert.match(connection?.id ?? '', /^con_[A-Za-z0-9]{16}$/);
    assert.deepEqual(connection?.enabled_clients, ['example-backend', 'example-cli']);
  });

  test('users: clear passwords are hashed with argon2id and never stored', async () => {
    await importTenant(storage, await loadTenantFile(EXAMPLE, {}), hasher, () => T1);
    const conn = 'Username-Password-Authentication';
    const alice = await storage.users.findByEmail(conn, 'alice@example.com');
    assert.ok(alice?.password_hash);
    assert.match(alice.user_id, /^auth0\|[0-9a-f]{24}$/);
    assert.deepEqual(alice, {
      user_id: alice.user_id,
      connection: conn,
      email: 'alice@example.com',
      username: 'alice',
      email_verified: true,
      name: 'Alice Example',
      given_name: 'Alice',
      family_name: 'Example',
      nickname: null,
      picture: null,
      app_metadata: {},
      user_metadata: {},
      blocked: false,
      password_hash: alice.password_hash,
      created_at: T1.toISOString(),
      updated_at: T1.toISOString(),
    });
    assert.equal(hashFamily(alice.password_hash), 'argon2');
    assert.ok(alice.password_hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'));
    assert.equal(await hasher.verify(ALICE_PASSWORD, alice.password_hash), true);
    const everything = JSON.stringify(await snapshot(storage));
    for (const secret of [ALICE_PASSWORD, 'hunter2-but-longer', 'example-backend-secret']) {
      assert.equal(everything.includes(secret), false, `${secret} found in storage`);
    }
    const bob = await storage.users.findByEmail(conn, 'bob@example.com');
    assert.equal(bob?.blocked, true);
    assert.equal(bob?.username, null);
  });

  test('re-importing is idempotent: same records, stable ids, created_at kept', async () => {
    const file = await loadTenantFile(EXAMPLE, {});
    await importTenant(storage, file, hasher, () => T1);
    const first = await snapshot(storage);
    const summary = await importTenant(storage, file, hasher, () => T2);
    assert.deepEqual(summary, {
      tenant: { updated: true },
      clients: { created: 0, updated: 3 },
      resource_servers: { created: 0, updated: 1 },
      client_grants: { created: 0, updated: 1 },
      connections: { created: 0, updated: 1 },
      users: { created: 0, updated: 2 },
    });
    const second = await snapshot(storage);
    assert.deepEqual(second.resourceServers, first.resourceServers);
    assert.deepEqual(second.clientGrants, first.clientGrants);
    assert.deepEqual(second.connections, first.connections);
    assert.deepEqual([second.clients.length, second.users.length], [3, 2]);
    for (const [i, user] of second.users.entries()) {
      const before = first.users[i]!;
      assert.equal(user.user_id, before.user_id);
      assert.equal(user.created_at, T1.toISOString());
      assert.equal(user.updated_at, T2.toISOString());
      // the same clear password keeps its hash: a re-import is no password change (ADR 0007)
      assert.equal(user.password_hash, before.password_hash);
    }
  });
});

describe('users', () => {
  const base = 'connections: [{ name: db }]\n';

  test('matched by email case-insensitively; email stored lowercased', async () => {
    await importTenant(
      storage,
      yamlTenant(`${base}users: [{ connection: db, email: Ann@Example.COM, password: pw-one }]`),
      hasher,
      () => T1,
    );
    const [before] = await storage.users.list();
    assert.equal(before?.email, 'ann@example.com');
    const summary = await importTenant(
      storage,
      yamlTenant(`${base}users: [{ connection: db, email: ANN@example.com, name: Ann }]`),
      hasher,
      () => T2,
    );
    assert.deepEqual(summary.users, { created: 0, updated: 1 });
    const [after] = await storage.users.list();
    assert.equal(after?.user_id, before?.user_id);
    assert.equal(after?.name, 'Ann');
    assert.equal(after?.password_hash, before?.password_hash, 'kept without password in the file');
    assert.equal(after?.created_at, T1.toISOString());
  });

  test('matched by username when the file gives no email', async () => {
    await importTenant(
      storage,
      yamlTenant(`${base}users: [{ connection: db, username: Bob, email: b@x.y }]`),
      hasher,
    );
    const [before] = await storage.users.list();
    await importTenant(
      storage,
      yamlTenant(`${base}users: [{ connection: db, username: bob, blocked: true }]`),
      hasher,
    );
    const users = await storage.users.list();
    assert.equal(users.length, 1);
    assert.equal(users[0]?.user_id, before?.user_id);
    assert.equal(users[0]?.blocked, true);
    assert.equal(users[0]?.email, null);
  });

  test('matched by user_id when given, and a new user keeps the given user_id', async () => {
    const file = `${base}users: [{ connection: db, user_id: "auth0|fixed", email: c@x.y }]`;
    await importTenant(storage, yamlTenant(file), hasher);
    await importTenant(storage, yamlTenant(file.replace('c@x.y', 'd@x.y')), hasher);
    const users = await storage.users.list();
    assert.deepEqual(
      users.map((u) => [u.user_id, u.email]),
      [['auth0|fixed', 'd@x.y']],
    );
  });

  test('a bcrypt hash is stored as-is and verifies', async () => {
    const bcrypt = await bcryptHash('legacy password', 4);
    await importTenant(
      storage,
      yamlTenant(`${base}users: [{ connection: db, email: l@x.y, password_hash: "${bcrypt}" }]`),
      hasher,
    );
    const [user] = await storage.users.list();
    assert.equal(user?.password_hash, bcrypt);
    assert.equal(await hasher.verify('legacy password', user?.password_hash ?? null), true);
  });

  test('a clash with another stored user is an error naming the field, and rolls back', async () => {
    await importTenant(
      storage,
      yamlTenant(`${base}users: [{ connection: db, email: e@x.y }]`),
      hasher,
    );
    const before = await snapshot(storage);
    const file = yamlTenant(`
clients: [{ client_id: new-client, name: N, client_secret: s }]
users: [{ connection: db, user_id: "auth0|other", email: E@x.y }]
`);
    assert.equal(
      await tenantRejectionOf(importTenant(storage, file, hasher)),
      'users[0].email: another user of connection "db" already has this email',
    );
    assert.deepEqual(await snapshot(storage), before);
  });

  test('two file users resolving to the same stored user are rejected', async () => {
    await importTenant(
      storage,
      yamlTenant(`${base}users: [{ connection: db, email: f@x.y, username: f }]`),
      hasher,
    );
    const file = yamlTenant(
      `${base}users: [{ connection: db, email: f@x.y }, { connection: db, username: F }]`,
    );
    const [stored] = await storage.users.list();
    assert.equal(
      await tenantRejectionOf(importTenant(storage, file, hasher)),
      `users[1]: matches the same stored user (${stored?.user_id}) as users[0]`,
    );
  });
});

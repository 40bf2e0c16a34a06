/**
 * @module test/tenant/tenant-rules
 *
 * Storage-independent rules: secrets versus authentication method, password hashes,
 * email/username, duplicates.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TenantFile } from '../../src/tenant/schema.js';
import { checkTenantRules } from '../../src/tenant/tenant-rules.js';
import { jwtClient, rsaPublicKey, tenantErrorOf, yamlTenant } from './support.js';

const BCRYPT = '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
const ARGON2ID =
  '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2f0Pl6gqYQ0UBvQxwYDWpMd2MFrQSq5r0G0Wc7CaE4Q';

const errorOf = (yaml: string) => tenantErrorOf(() => yamlTenant(yaml));
const rulesError = (file: TenantFile) => tenantErrorOf(() => checkTenantRules(file));

describe('client secrets', () => {
  test('none allows no secret', () => {
    assert.equal(
      errorOf(
        'clients: [{ client_id: a, name: A, token_endpoint_auth_method: none, client_secret: s }]',
      ),
      'clients[0].client_secret: not allowed when token_endpoint_auth_method is none',
    );
    assert.equal(
      errorOf(
        `clients: [{ client_id: a, name: A, token_endpoint_auth_method: none, client_secret_hash: "${ARGON2ID}" }]`,
      ),
      'clients[0].client_secret_hash: not allowed when token_endpoint_auth_method is none',
    );
  });

  test('client_secret and client_secret_hash exclude each other', () => {
    assert.equal(
      errorOf(
        `clients: [{ client_id: a, name: A, client_secret: s, client_secret_hash: "${ARGON2ID}" }]`,
      ),
      'clients[0].client_secret_hash: give either client_secret or client_secret_hash, not both',
    );
  });

  test('client_secret_hash must be argon2id PHC', () => {
    assert.equal(
      errorOf(`clients: [{ client_id: a, name: A, client_secret_hash: "${BCRYPT}" }]`),
      'clients[0].client_secret_hash: must be an argon2id PHC string ($argon2id$v=19$...)',
    );
    assert.equal(
      yamlTenant(`clients: [{ client_id: a, name: A, client_secret_hash: "${ARGON2ID}" }]`)
        .clients?.[0]?.client_secret_hash,
      ARGON2ID,
    );
  });

  test('private_key_jwt needs a credential and no secret', () => {
    assert.equal(
      errorOf('clients: [{ client_id: a, name: A, token_endpoint_auth_method: private_key_jwt }]'),
      'clients[0].client_authentication_methods.private_key_jwt.credentials: at least one credential is required for private_key_jwt',
    );
    const pem = rsaPublicKey().export({ type: 'spki', format: 'pem' }).toString();
    const withSecret = jwtClient({ pem });
    withSecret.clients![0]!.client_secret = 's';
    assert.equal(
      rulesError(withSecret),
      'clients[0].client_secret: not allowed when token_endpoint_auth_method is private_key_jwt',
    );
  });
});

describe('users', () => {
  const user = (fields: string) => errorOf(`users: [{ connection: db, ${fields} }]`);

  test('email or username is required', () => {
    assert.equal(user('name: Nobody'), 'users[0]: email or username is required');
    assert.equal(yamlTenant('users: [{ connection: db, username: u }]').users?.[0]?.username, 'u');
  });

  test('email must look like an email address', () => {
    assert.equal(user('email: alice'), 'users[0].email: must be an email address');
  });

  test('a username follows the same rules as in a users import (Auth0: ≤ 128, no spaces)', () => {
    assert.equal(user('username: "ann smith"'), 'users[0].username: must not contain spaces');
    assert.equal(user('username: "ann\\tsmith"'), 'users[0].username: must not contain spaces');
    assert.equal(
      user(`username: ${'a'.repeat(129)}`),
      'users[0].username: must be at most 128 characters',
    );
    const longest = 'a'.repeat(128);
    assert.equal(
      yamlTenant(`users: [{ connection: db, username: ${longest} }]`).users?.[0]?.username,
      longest,
    );
  });

  test('a user_id follows the users import rule: auth0|<id>, no second "|", ≤ 255, no invisible characters', () => {
    const id = (value: string) => user(`email: a@b.c, user_id: ${JSON.stringify(value)}`);
    const shape = 'users[0].user_id: must be auth0|<id>, where <id> has no "|"';
    for (const value of ['x|y', '5f0c8e', 'google-oauth2|123', 'auth0|a|b']) {
      assert.equal(id(value), shape, value);
    }
    assert.equal(id('auth0|'), 'users[0].user_id: must not be empty');
    for (const invisible of ['\\u0000', '\\n', ' ', '\\u202e', '\\u200b', '\\u2028']) {
      assert.equal(
        id(JSON.parse(`"auth0|a${invisible}b"`)),
        'users[0].user_id: must not contain whitespace, control or invisible formatting characters',
        invisible,
      );
    }
    // a lone surrogate would be stored as U+FFFD: two such users would share one sub
    assert.equal(
      id('auth0|\ud800'),
      'users[0].user_id: must be well-formed Unicode (no lone surrogates)',
    );
    assert.equal(
      yamlTenant(`users: [{ connection: db, email: a@b.c, user_id: "auth0|${'😀'.repeat(249)}" }]`)
        .users?.[0]?.user_id?.length,
      6 + 2 * 249,
    );
    assert.equal(
      id(`auth0|${'a'.repeat(250)}`),
      'users[0].user_id: must be at most 255 characters',
    );
    const longest = `auth0|${'a'.repeat(249)}`;
    assert.equal(
      yamlTenant(`users: [{ connection: db, email: a@b.c, user_id: "${longest}" }]`).users?.[0]
        ?.user_id,
      longest,
    );
  });

  test('password and password_hash exclude each other', () => {
    assert.equal(
      user(`email: a@b.c, password: pw, password_hash: "${BCRYPT}"`),
      'users[0].password_hash: give either password or password_hash, not both',
    );
  });

  test('a hash whose cost one login could not afford is refused, as in a users import', () => {
    assert.equal(
      user(`email: a@b.c, password_hash: "${BCRYPT.replace('$10$', '$16$')}"`),
      'users[0].password_hash: bcrypt cost 16 is above 15, the highest Latchkey imports (each login, a wrong password too, would cost 2^16 rounds)',
    );
    assert.equal(
      user(`email: a@b.c, password_hash: "${ARGON2ID.replace('p=1', 'p=17')}"`),
      'users[0].password_hash: argon2 p=17 is above 16, the highest Latchkey imports (m in KiB)',
    );
    assert.equal(
      errorOf(
        `clients: [{ client_id: a, name: A, client_secret_hash: "${ARGON2ID.replace('t=2', 't=99')}" }]`,
      ),
      'clients[0].client_secret_hash: argon2 t=99 is above 16, the highest Latchkey imports (m in KiB)',
    );
  });

  test('an argon2 hash below the minimums of argon2 is refused: it could never verify', () => {
    assert.equal(
      user(`email: a@b.c, password_hash: "${ARGON2ID.replace('m=19456,t=2,p=1', 'm=0,t=0,p=0')}"`),
      'users[0].password_hash: argon2 m=0,t=0,p=0 is not a valid argon2 hash (t and p at least 1, m at least 8 × p)',
    );
    assert.equal(
      user(`email: a@b.c, password_hash: "${ARGON2ID.replace('c29tZXNhbHRzb21lc2FsdA', 'c2E')}"`),
      'users[0].password_hash: argon2 salt must be at least 8 bytes (RFC 9106 §3.1)',
    );
  });

  test('password_hash must be bcrypt or argon2 (any variant)', () => {
    const expected =
      'users[0].password_hash: must be a bcrypt ($2a$, $2b$, $2y$, cost 04–31) or argon2 PHC hash';
    assert.equal(user('email: a@b.c, password_hash: "md5$abc"'), expected);
    assert.equal(
      user(`email: a@b.c, password_hash: "${ARGON2ID.replace('argon2id', 'argon2x')}"`),
      expected,
    );
    assert.equal(
      user(`email: a@b.c, password_hash: "${ARGON2ID.replace('v=19', 'v=20')}"`),
      expected,
    );
    assert.equal(user(`email: a@b.c, password_hash: "${BCRYPT.slice(0, -1)}"`), expected);
    for (const hash of [
      BCRYPT,
      BCRYPT.replace('$2b$', '$2a$'),
      BCRYPT.replace('$2b$', '$2y$'),
      ARGON2ID,
      ARGON2ID.replace('argon2id', 'argon2i'),
      ARGON2ID.replace('argon2id', 'argon2d'),
    ]) {
      assert.equal(
        yamlTenant(`users: [{ connection: db, email: a@b.c, password_hash: "${hash}" }]`).users?.[0]
          ?.password_hash,
        hash,
      );
    }
  });

  test('passwords longer than 1024 bytes are rejected', () => {
    assert.equal(
      user(`email: a@b.c, password: "${'é'.repeat(513)}"`),
      'users[0].password: must be at most 1024 bytes',
    );
  });

  test('duplicates within a connection are rejected, case-insensitively', () => {
    assert.equal(
      errorOf('users: [{ connection: db, email: a@b.c }, { connection: db, email: A@B.C }]'),
      'users[1].email: duplicate email in the connection (same as users[0].email)',
    );
    assert.equal(
      errorOf('users: [{ connection: db, username: Ann }, { connection: db, username: ann }]'),
      'users[1].username: duplicate username in the connection (same as users[0].username)',
    );
    assert.deepEqual(
      yamlTenant('users: [{ connection: a, email: x@y.z }, { connection: b, email: x@y.z }]').users
        ?.length,
      2,
    );
    assert.equal(
      errorOf(
        'users: [{ connection: a, email: x@y.z, user_id: "auth0|u1" }, { connection: b, username: q, user_id: "auth0|u1" }]',
      ),
      'users[1].user_id: duplicate user_id (same as users[0].user_id)',
    );
  });
});

describe('duplicate records', () => {
  test('clients, APIs, scopes, connections and enabled clients', () => {
    assert.equal(
      errorOf(
        'clients: [{ client_id: a, name: A, client_secret: s }, { client_id: a, name: B, client_secret: t }]',
      ),
      'clients[1].client_id: duplicate client_id (same as clients[0].client_id)',
    );
    assert.equal(
      errorOf('resource_servers: [{ identifier: x, name: X }, { identifier: x, name: Y }]'),
      'resource_servers[1].identifier: duplicate identifier (same as resource_servers[0].identifier)',
    );
    assert.equal(
      errorOf(
        'resource_servers: [{ identifier: x, name: X, scopes: [{ value: r }, { value: r }] }]',
      ),
      'resource_servers[0].scopes[1].value: duplicate scope (same as resource_servers[0].scopes[0].value)',
    );
    assert.equal(
      errorOf('connections: [{ name: db }, { name: db }]'),
      'connections[1].name: duplicate connection name (same as connections[0].name)',
    );
    assert.equal(
      errorOf('connections: [{ name: db, enabled_clients: [a, b, a] }]'),
      'connections[0].enabled_clients[2]: duplicate client (same as connections[0].enabled_clients[0])',
    );
  });
});

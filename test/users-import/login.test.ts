/**
 * @module test/users-import/login
 *
 * Users imported (into the data directory of a running server) log in with the password
 * their bcrypt or argon2 hash was made from; the hash is then upgraded to argon2id.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDataDir } from '../../src/server.js';
import { importUsers } from '../../src/users-import/import-users.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ARGON2, ARGON2_PASSWORD, BCRYPT, BCRYPT_PASSWORD, DB } from './support.js';

const tenant = {
  tenant: { default_directory: DB },
  clients: [
    { client_id: 'app', name: 'App', client_secret: 'app-secret', grant_types: ['password'] },
  ],
  connections: [{ name: DB, enabled_clients: ['app'] }],
};

const login = (username: string, password: string) =>
  server.token({
    grant_type: 'password',
    client_id: 'app',
    client_secret: 'app-secret',
    username,
    password,
  });

let server: TestServer;
before(async () => {
  server = await startTestServer(tenant);
  const storage = await openDataDir(server.dataDir);
  try {
    const summary = await importUsers(
      storage,
      [
        { email: 'legacy@example.com', user_id: 'legacy', password_hash: BCRYPT },
        {
          email: 'argon@example.com',
          username: 'argon',
          custom_password_hash: { algorithm: 'argon2', hash: { value: ARGON2 } },
        },
      ],
      { source: 'users.json', connection: DB },
    );
    assert.deepEqual(summary, { created: 2, updated: 0 });
  } finally {
    await storage.close();
  }
});
after(async () => {
  await server.close();
});

describe('imported users log in', () => {
  test('a bcrypt user, whose hash is then replaced by argon2id', async () => {
    assert.equal((await login('legacy@example.com', 'wrong password')).status, 403);
    const response = await login('legacy@example.com', BCRYPT_PASSWORD);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(typeof response.body.access_token, 'string');
    const user = await server.storage.users.get('auth0|legacy');
    assert.ok(user?.password_hash?.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'));
    assert.equal((await login('legacy@example.com', BCRYPT_PASSWORD)).status, 200);
  });

  test('an argon2 user from custom_password_hash, by username', async () => {
    const response = await login('argon', ARGON2_PASSWORD);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const user = await server.storage.users.findByEmail(DB, 'argon@example.com');
    assert.notEqual(user?.password_hash, ARGON2, 'weaker argon2 parameters are upgraded');
  });
});

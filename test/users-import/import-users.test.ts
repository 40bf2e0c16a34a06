/**
 * @module test/users-import/import-users
 *
 * Importing into a real (in-memory SQLite) storage: records written, user_id prefixing,
 * idempotent re-imports, upsert by user_id or email, clashes with stored users, and
 * all-or-nothing writes.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Storage } from '../../src/storage/storage.js';
import { importUsers } from '../../src/users-import/import-users.js';
import {
  ARGON2,
  BCRYPT,
  DB,
  generatedUsers,
  importErrorOf,
  storageWithConnection,
} from './support.js';

const T1 = new Date('2030-01-01T00:00:00.000Z');
const T2 = new Date('2030-01-02T00:00:00.000Z');

let storage: Storage;
beforeEach(async () => {
  storage = await storageWithConnection();
});
afterEach(async () => {
  await storage.close();
});

const run = (users: unknown[], at = T1, connection = DB) =>
  importUsers(storage, users, { source: 'users.json', connection, now: () => at });

describe('importing users', () => {
  test('writes every field; user_id gets the auth0| prefix; email is lower-cased', async () => {
    const summary = await run([
      {
        email: 'Ann@Example.COM',
        email_verified: true,
        user_id: '5f0c',
        username: 'ann',
        given_name: 'Ann',
        family_name: 'Lee',
        name: 'Ann Lee',
        nickname: 'annie',
        picture: 'https://example.com/a.png',
        app_metadata: { roles: ['admin'] },
        user_metadata: { theme: 'dark' },
        blocked: true,
        password_hash: BCRYPT,
      },
      { email: 'bob@example.com', user_id: 'auth0|b0b' },
      {
        email: 'carol@example.com',
        custom_password_hash: { algorithm: 'argon2', hash: { value: ARGON2 } },
      },
    ]);
    assert.deepEqual(summary, { created: 3, updated: 0 });
    assert.deepEqual(await storage.users.get('auth0|5f0c'), {
      user_id: 'auth0|5f0c',
      connection: DB,
      email: 'ann@example.com',
      username: 'ann',
      email_verified: true,
      name: 'Ann Lee',
      given_name: 'Ann',
      family_name: 'Lee',
      nickname: 'annie',
      picture: 'https://example.com/a.png',
      app_metadata: { roles: ['admin'] },
      user_metadata: { theme: 'dark' },
      blocked: true,
      password_hash: BCRYPT,
      created_at: T1.toISOString(),
      updated_at: T1.toISOString(),
    });
    const bob = await storage.users.get('auth0|b0b');
    assert.equal(bob?.email_verified, false);
    assert.equal(bob?.password_hash, null);
    const carol = await storage.users.findByEmail(DB, 'carol@example.com');
    assert.match(carol?.user_id ?? '', /^auth0\|[0-9a-f]{24}$/);
    assert.equal(carol?.password_hash, ARGON2);
  });

  test('importing twice: created then updated, same users and user_ids', async () => {
    const users = [...generatedUsers(3), { email: 'no-id@example.com', name: 'No Id' }];
    assert.deepEqual(await run(users, T1), { created: 4, updated: 0 });
    const first = await storage.users.list(DB);
    assert.deepEqual(await run(users, T2), { created: 0, updated: 4 });
    const second = await storage.users.list(DB);
    assert.deepEqual(
      second.map(({ updated_at: _u, ...rest }) => rest),
      first.map(({ updated_at: _u, ...rest }) => rest),
    );
    assert.ok(second.every((user) => user.updated_at === T2.toISOString()));
    assert.ok(second.every((user) => user.created_at === T1.toISOString()));
  });

  test('a row updates the fields it gives and keeps the others', async () => {
    await run([
      { email: 'd@x.y', user_id: 'd', name: 'Dee', email_verified: true, password_hash: BCRYPT },
    ]);
    await run([{ email: 'd@x.y', nickname: 'dee' }], T2); // matched by email
    const kept = await storage.users.get('auth0|d');
    assert.deepEqual(
      [kept?.name, kept?.nickname, kept?.email_verified, kept?.password_hash],
      ['Dee', 'dee', true, BCRYPT],
    );
    await run([{ user_id: 'auth0|d', email: 'new@x.y' }], T2); // matched by user_id
    const moved = await storage.users.get('auth0|d');
    assert.equal(moved?.email, 'new@x.y');
    assert.equal(moved?.email_verified, false, 'a changed email is not verified unless stated');
  });
});

describe('problems with stored users', () => {
  beforeEach(async () => {
    await run([
      { email: 'taken@x.y', user_id: 'taken', username: 'taken' },
      { email: 'held@x.y', user_id: 'held' },
    ]);
    await run([{ email: 'elsewhere@x.y', user_id: 'elsewhere' }], T1, 'other');
  });

  test('each is reported, and nothing is written', async () => {
    const before = await storage.users.list();
    const error = await importErrorOf(
      run([
        { email: 'fresh@x.y', user_id: 'fresh' },
        { email: 'HELD@x.y', user_id: 'someone-else' },
        { email: 'u@x.y', username: 'Taken' },
        { email: 'e@x.y', user_id: 'elsewhere' },
        { email: 'moved@x.y', user_id: 'taken' },
        { email: 'taken@x.y' },
      ]),
    );
    assert.equal(error.message, 'users.json: 4 problems in 6 users; nothing was imported');
    assert.deepEqual(error.lines, [
      'users.json: [1].email: another user of connection "db" already has this email (auth0|held)',
      'users.json: [2].username: another user of connection "db" already has this username (auth0|taken)',
      'users.json: [3].user_id: belongs to a user of connection "other"',
      'users.json: [5]: matches the same stored user (auth0|taken) as [4]',
    ]);
    assert.deepEqual(await storage.users.list(), before);
  });

  test('a clash found only while writing rolls everything back', async () => {
    // findByLogin prefers an email match, so the username clash is only seen by the write.
    await run([
      { email: 'v@x.y', user_id: 'v' },
      { email: 'w@x.y', username: 'v@x.y' },
    ]);
    const before = await storage.users.list();
    const error = await importErrorOf(
      run([
        { email: 'first@x.y', user_id: 'first' },
        { email: 'second@x.y', username: 'V@x.y' },
      ]),
    );
    assert.equal(error.message, 'users.json: 1 problem in 2 users; nothing was imported');
    assert.deepEqual(error.lines, [
      'users.json: [1].username: another user of connection "db" already has this username',
    ]);
    assert.deepEqual(await storage.users.list(), before);
  });

  test('the connection must exist', async () => {
    const error = await importErrorOf(run(generatedUsers(1), T1, 'nope'));
    assert.equal(error.message, '--connection: connection "nope" does not exist');
    assert.equal((await storage.users.list()).length, 3);
  });
});

describe('all or nothing', () => {
  test('one bad row at index 9999 of 10,000 writes nothing', async () => {
    const users = generatedUsers(10_000);
    users[9999] = { ...users[9999], email: 'not-an-email' };
    const error = await importErrorOf(run(users));
    assert.equal(error.message, 'users.json: 1 problem in 10000 users; nothing was imported');
    assert.deepEqual(error.lines, ['users.json: [9999].email: must be an email address']);
    assert.deepEqual(await storage.users.list(DB), []);
  });

  test('at most 20 problems are listed; the summary counts them all', async () => {
    const users = generatedUsers(30).map((user) => ({ ...user, email: 'bad' }));
    const error = await importErrorOf(run(users));
    assert.equal(
      error.message,
      'users.json: 30 problems in 30 users; nothing was imported (the first 20 are listed)',
    );
    assert.equal(error.lines.length, 20);
    assert.equal(error.lines[19], 'users.json: [19].email: must be an email address');
    assert.equal(error.problems.length, 30);
  });
});

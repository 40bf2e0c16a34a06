/**
 * @module storage/contract/users.contract
 *
 * Contract tests for the user store: case-insensitive logins scoped to a connection, the
 * email-over-username rule, uniqueness per connection and the password-hash compare-and-set.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation } from '../storage.js';
import { aUser } from './fixtures.js';
import { concurrently, type OpenStorage, sortedBy, useFreshStorage } from './harness.js';

const DB = 'Username-Password-Authentication';
const OTHER = 'partners';

function isViolationOf(field: string): (error: unknown) => boolean {
  return (error) => error instanceof UniqueViolation && error.field === field;
}

function describeLookups(open: OpenStorage): void {
  describe('users: lookups', () => {
    const storage = useFreshStorage(open);

    it('round-trips every field and returns null for an unknown user', async () => {
      const user = aUser({ username: 'Ada_L', picture: 'https://example.com/ada.png' });
      await storage().users.upsert(user);
      assert.deepEqual(await storage().users.get(user.user_id), user);
      assert.equal(await storage().users.get('auth0|nobody'), null);
    });

    it('finds a login by email or username, ignoring case', async () => {
      const user = aUser({ email: 'Ada@Example.com', username: 'Ada_L' });
      await storage().users.upsert(user);
      assert.deepEqual(await storage().users.findByLogin(DB, 'ada@EXAMPLE.COM'), user);
      assert.deepEqual(await storage().users.findByLogin(DB, 'ADA_l'), user);
      assert.equal(await storage().users.findByLogin(DB, 'ada'), null);
      assert.equal(await storage().users.findByLogin(OTHER, 'ada@example.com'), null);
    });

    it('prefers the user whose email matches over one whose username matches', async () => {
      const byUsername = aUser({ user_id: 'auth0|a', email: null, username: 'kim@example.com' });
      const byEmail = aUser({ user_id: 'auth0|b', email: 'Kim@example.com', username: 'kim' });
      await storage().users.upsert(byUsername);
      await storage().users.upsert(byEmail);
      assert.deepEqual(await storage().users.findByLogin(DB, 'KIM@example.com'), byEmail);
      assert.deepEqual(await storage().users.findByLogin(DB, 'kim'), byEmail);
    });

    it('finds by email ignoring case, within the connection only', async () => {
      const user = aUser({ email: 'Ada@Example.com', username: 'ada_l' });
      await storage().users.upsert(user);
      assert.deepEqual(await storage().users.findByEmail(DB, 'ADA@example.COM'), user);
      assert.equal(await storage().users.findByEmail(DB, 'ada_l'), null);
      assert.equal(await storage().users.findByEmail(OTHER, 'ada@example.com'), null);
    });

    it('lists all users, or those of one connection', async () => {
      const ada = aUser();
      const bob = aUser({ user_id: 'auth0|bob', email: 'bob@example.com' });
      const partner = aUser({ user_id: 'auth0|p', connection: OTHER });
      for (const user of [partner, bob, ada]) await storage().users.upsert(user);
      const byId = (u: { user_id: string }) => u.user_id;
      assert.deepEqual(
        sortedBy(await storage().users.list(), byId),
        sortedBy([ada, bob, partner], byId),
      );
      assert.deepEqual(sortedBy(await storage().users.list(DB), byId), sortedBy([ada, bob], byId));
      assert.deepEqual(await storage().users.list('none'), []);
    });
  });
}

function describeWrites(open: OpenStorage): void {
  describe('users: writes', () => {
    const storage = useFreshStorage(open);

    it('upsert replaces the user with the same user_id', async () => {
      await storage().users.upsert(aUser());
      const replaced = aUser({ email: 'lovelace@example.com', blocked: true, app_metadata: {} });
      await storage().users.upsert(replaced);
      assert.deepEqual(await storage().users.get(replaced.user_id), replaced);
      assert.equal(await storage().users.findByLogin(DB, 'ada@example.com'), null);
      assert.equal((await storage().users.list()).length, 1);
    });

    it('rejects a duplicate email or username within a connection, in any case', async () => {
      await storage().users.upsert(aUser({ username: 'ada_l' }));
      const twin = aUser({ user_id: 'auth0|twin', email: 'ADA@example.com', username: null });
      await assert.rejects(storage().users.upsert(twin), isViolationOf('email'));
      const namesake = aUser({ user_id: 'auth0|n', email: 'n@example.com', username: 'ADA_L' });
      await assert.rejects(storage().users.upsert(namesake), isViolationOf('username'));
      assert.equal((await storage().users.list()).length, 1);
    });

    it('allows the same email and username in another connection, and many without', async () => {
      await storage().users.upsert(aUser({ username: 'ada_l' }));
      await storage().users.upsert(
        aUser({ user_id: 'auth0|p', connection: OTHER, username: 'ada_l' }),
      );
      await storage().users.upsert(aUser({ user_id: 'auth0|x', email: null, username: null }));
      await storage().users.upsert(aUser({ user_id: 'auth0|y', email: null, username: null }));
      assert.equal((await storage().users.list()).length, 4);
    });

    it('delete removes the user once', async () => {
      await storage().users.upsert(aUser());
      assert.equal(await storage().users.delete('auth0|ada'), true);
      assert.equal(await storage().users.get('auth0|ada'), null);
      assert.equal(await storage().users.delete('auth0|ada'), false);
    });
  });
}

function describePasswordCas(open: OpenStorage): void {
  describe('users: compareAndSetPasswordHash', () => {
    const storage = useFreshStorage(open);

    it('replaces the hash once and refuses a stale expected value', async () => {
      await storage().users.upsert(aUser({ password_hash: 'h0' }));
      assert.equal(await storage().users.compareAndSetPasswordHash('auth0|ada', 'h0', 'h1'), true);
      assert.equal(await storage().users.compareAndSetPasswordHash('auth0|ada', 'h0', 'h2'), false);
      assert.equal((await storage().users.get('auth0|ada'))?.password_hash, 'h1');
    });

    it('returns false for an unknown user or a user without a password', async () => {
      await storage().users.upsert(aUser({ password_hash: null }));
      assert.equal(
        await storage().users.compareAndSetPasswordHash('auth0|nobody', 'h0', 'h1'),
        false,
      );
      assert.equal(await storage().users.compareAndSetPasswordHash('auth0|ada', 'h0', 'h1'), false);
      assert.equal((await storage().users.get('auth0|ada'))?.password_hash, null);
    });

    it('lets exactly one of 50 concurrent swaps from the same hash win', async () => {
      await storage().users.upsert(aUser({ password_hash: 'h0' }));
      const results = await concurrently(50, (i) =>
        storage().users.compareAndSetPasswordHash('auth0|ada', 'h0', `h-${i}`),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.equal((await storage().users.get('auth0|ada'))?.password_hash, `h-${winner}`);
    });
  });
}

const BCRYPT_TAIL = 'abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234.';
const ARGON2_TAIL = 'c2FsdHNhbHQ$aGFzaGhhc2hoYXNo';

function describeHashProfiles(open: OpenStorage): void {
  describe('users: passwordHashProfiles', () => {
    const storage = useFreshStorage(open);
    const hashes: Array<[string, string | null]> = [
      [DB, `$2a$10$${BCRYPT_TAIL}`],
      [DB, `$2b$10$${BCRYPT_TAIL}`],
      [DB, `$2y$12$${BCRYPT_TAIL}`],
      [DB, `$argon2id$v=19$m=19456,t=2,p=1$${ARGON2_TAIL}`],
      [DB, `$argon2id$v=19$m=19456,t=2,p=1$${ARGON2_TAIL.toLowerCase()}`],
      [DB, `$argon2i$v=19$m=65536,t=3,p=16$${ARGON2_TAIL}`],
      [DB, null],
      [DB, 'not-a-hash,p=1'],
      [OTHER, `$2b$10$${BCRYPT_TAIL}`],
    ];

    it('counts users per connection and cost profile, leaving out no or unknown hashes', async () => {
      for (const [index, [connection, hash]] of hashes.entries()) {
        await storage().users.upsert(
          aUser({
            user_id: `auth0|${index}`,
            connection,
            email: `u${index}@example.com`,
            password_hash: hash,
          }),
        );
      }
      const counts = sortedBy(
        await storage().users.passwordHashProfiles(),
        (c) => `${c.connection} ${c.profile}`,
      );
      assert.deepEqual(counts, [
        { connection: OTHER, profile: '$2b$10$', users: 1 },
        { connection: DB, profile: '$2b$10$', users: 2 },
        { connection: DB, profile: '$2b$12$', users: 1 },
        { connection: DB, profile: '$argon2i$v=19$m=65536,t=3,p=16$', users: 1 },
        { connection: DB, profile: '$argon2id$v=19$m=19456,t=2,p=1$', users: 2 },
      ]);
    });

    it('is empty without users', async () => {
      assert.deepEqual(await storage().users.passwordHashProfiles(), []);
    });

    it('follows new hashes, connection moves and deletions', async () => {
      const users = storage().users;
      const argon2 = `$argon2id$v=19$m=19456,t=2,p=1$${ARGON2_TAIL}`;
      const bcrypt = `$2b$10$${BCRYPT_TAIL}`;
      const ada = aUser({ user_id: 'auth0|ada', email: 'ada@example.com', password_hash: bcrypt });
      const bob = aUser({ user_id: 'auth0|bob', email: 'bob@example.com', password_hash: bcrypt });
      await users.upsert(ada);
      await users.upsert(bob);
      await users.upsert(bob); // the same user written again counts once
      assert.ok(await users.compareAndSetPasswordHash(ada.user_id, bcrypt, argon2));
      await users.upsert({ ...bob, connection: OTHER });
      const counts = async () =>
        sortedBy(await users.passwordHashProfiles(), (c) => `${c.connection} ${c.profile}`);
      assert.deepEqual(await counts(), [
        { connection: OTHER, profile: '$2b$10$', users: 1 },
        { connection: DB, profile: '$argon2id$v=19$m=19456,t=2,p=1$', users: 1 },
      ]);
      await users.upsert({ ...ada, password_hash: null });
      assert.ok(await users.delete(bob.user_id));
      assert.deepEqual(await counts(), []);
    });
  });
}

/** Contract tests for the user store. */
export function describeUsersContract(open: OpenStorage): void {
  describeLookups(open);
  describeWrites(open);
  describePasswordCas(open);
  describeHashProfiles(open);
}

/**
 * @module test/users-import/validate-users
 *
 * Every reason a row of an Auth0 bulk-import file is rejected (password hashes: see
 * password-hash.test.ts), the user_id prefix rule, and duplicates within the file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatProblem } from '../../src/users-import/problems.js';
import { BCRYPT, problemsOf, rowProblems, validRow } from './support.js';

const ok = { email: 'a@example.com' };
const valid = validRow;

describe('row shape', () => {
  test('a row must be an object', () => {
    assert.deepEqual(problemsOf([ok, 'a@b.c', null, [ok]]), [
      '[1]: expected a user object, got string',
      '[2]: expected a user object, got null',
      '[3]: expected a user object, got array',
    ]);
  });

  test('unknown fields are errors naming the field; unsupported Auth0 fields say why', () => {
    assert.deepEqual(rowProblems({ ...ok, emial: 'x', password: 'clear' }), [
      '[0].emial: unknown field',
      '[0].password: unknown field',
    ]);
    assert.deepEqual(rowProblems({ ...ok, mfa_factors: [], phone_number: '+15550001' }), [
      '[0].mfa_factors: MFA enrollments are not supported by Latchkey',
      '[0].phone_number: not supported for database connections by Latchkey',
    ]);
    // names Object.prototype has are unknown fields too, not a crash
    const inherited = JSON.parse('{"constructor": 1, "toString": 2, "__proto__": 3}');
    assert.deepEqual(rowProblems({ ...ok, ...inherited }), [
      '[0].constructor: unknown field',
      '[0].toString: unknown field',
      '[0].__proto__: unknown field',
    ]);
  });

  test('every problem of a row is listed, rows in order', () => {
    assert.deepEqual(problemsOf([ok, { email: 'x', blocked: 'no' }, { name: 1 }]), [
      '[1].email: must be an email address',
      '[1].blocked: expected boolean, got string',
      '[2].name: expected string, got integer',
      '[2].email: missing required field',
    ]);
  });
});

describe('fields', () => {
  test('email is required and must be an email address', () => {
    assert.deepEqual(rowProblems({}), ['[0].email: missing required field']);
    assert.deepEqual(rowProblems({ email: 42 }), ['[0].email: expected string, got integer']);
    for (const email of ['', 'alice', 'a@', '@b.c', 'a b@c.d']) {
      assert.deepEqual(rowProblems({ email }), ['[0].email: must be an email address'], email);
    }
  });

  test('types of the profile, flag and metadata fields', () => {
    assert.deepEqual(
      rowProblems({
        ...ok,
        given_name: 1,
        family_name: null,
        nickname: [],
        picture: {},
        email_verified: 'true',
        app_metadata: [],
        user_metadata: 'x',
      }),
      [
        '[0].given_name: expected string, got integer',
        '[0].family_name: expected string, got null',
        '[0].nickname: expected string, got array',
        '[0].picture: expected string, got object',
        '[0].email_verified: expected boolean, got string',
        '[0].app_metadata: expected object, got array',
        '[0].user_metadata: expected object, got string',
      ],
    );
  });

  test('username: non-empty, at most 128 characters, no spaces', () => {
    assert.deepEqual(rowProblems({ ...ok, username: '' }), ['[0].username: must not be empty']);
    assert.deepEqual(rowProblems({ ...ok, username: 'x'.repeat(129) }), [
      '[0].username: must be at most 128 characters',
    ]);
    assert.deepEqual(rowProblems({ ...ok, username: 'a b' }), [
      '[0].username: must not contain spaces',
    ]);
    assert.equal(valid({ ...ok, username: 'x'.repeat(128) }).username?.length, 128);
  });

  test('a full valid row keeps every field', () => {
    const user = {
      email: 'Ann@Example.com',
      email_verified: true,
      user_id: '123',
      username: 'ann',
      given_name: 'Ann',
      family_name: 'Lee',
      name: 'Ann Lee',
      nickname: 'annie',
      picture: 'https://example.com/ann.png',
      app_metadata: { roles: ['admin'] },
      user_metadata: { theme: 'dark' },
      blocked: false,
      password_hash: BCRYPT,
    };
    assert.deepEqual(valid(user), { ...user, user_id: 'auth0|123', index: 0 });
  });
});

describe('user_id', () => {
  test('Auth0 prefixes the strategy; an auth0| prefix is kept', () => {
    assert.equal(valid({ ...ok, user_id: '5f0c8e' }).user_id, 'auth0|5f0c8e');
    assert.equal(valid({ ...ok, user_id: 'auth0|5f0c8e' }).user_id, 'auth0|5f0c8e');
    assert.equal(valid(ok).user_id, undefined);
  });

  test('another strategy, a second "|", or nothing after the prefix are errors', () => {
    const problem = '[0].user_id: must be <id> or auth0|<id>, where <id> has no "|"';
    for (const userId of ['google-oauth2|123', 'a|b', 'auth0|a|b', '|x']) {
      assert.deepEqual(rowProblems({ ...ok, user_id: userId }), [problem], userId);
    }
    assert.deepEqual(rowProblems({ ...ok, user_id: 'auth0|' }), ['[0].user_id: must not be empty']);
    assert.deepEqual(rowProblems({ ...ok, user_id: '' }), ['[0].user_id: must not be empty']);
    assert.deepEqual(rowProblems({ ...ok, user_id: 'a\u0007b' }), [
      '[0].user_id: must not contain whitespace, control or invisible formatting characters',
    ]);
    assert.deepEqual(rowProblems({ ...ok, user_id: 'x'.repeat(250) }), [
      '[0].user_id: must be at most 255 characters',
    ]);
    assert.equal(valid({ ...ok, user_id: 'x'.repeat(249) }).user_id, `auth0|${'x'.repeat(249)}`);
    assert.deepEqual(rowProblems({ ...ok, user_id: 7 }), [
      '[0].user_id: expected string, got integer',
    ]);
  });
});

describe('duplicates within the file', () => {
  test('user_id (after prefixing), email and username, case-insensitively', () => {
    assert.deepEqual(
      problemsOf([
        { email: 'a@x.y', user_id: '1', username: 'Ann' },
        { email: 'b@x.y', user_id: 'auth0|1' },
        { email: 'A@X.Y' },
        { email: 'c@x.y', username: 'ann' },
      ]),
      [
        '[1].user_id: duplicate user_id (same as [0].user_id)',
        '[2].email: duplicate email (same as [0].email)',
        '[3].username: duplicate username (same as [0].username)',
      ],
    );
  });
});

describe('problem lines', () => {
  test('are cut: a 1 MB field name or value does not make a 1 MB line', () => {
    const line = formatProblem('users.json', {
      path: [0, 'k'.repeat(1_000_000)],
      problem: `unknown algorithm "${'a'.repeat(1_000_000)}"`,
    });
    assert.ok(line.length < 600, `${line.length} characters`);
    assert.ok(line.startsWith(`users.json: [0].${'k'.repeat(195)}`));
  });
});

/**
 * @module test/users-import/password-hash
 *
 * The password of an imported user: `password_hash` (bcrypt) or `custom_password_hash` with
 * the bcrypt or argon2 algorithm; every reason either is rejected.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ARGON2, BCRYPT, rowProblems, validRow as valid } from './support.js';

const ok = { email: 'a@example.com' };

describe('password_hash and custom_password_hash', () => {
  test('password_hash must be bcrypt', () => {
    for (const hash of [BCRYPT, BCRYPT.replace('$2b$', '$2a$'), BCRYPT.replace('$2b$', '$2y$')]) {
      assert.equal(valid({ ...ok, password_hash: hash }).password_hash, hash);
    }
    const problem =
      '[0].password_hash: must be a bcrypt hash ($2a$, $2b$ or $2y$, a cost from 04 to 31, 53 characters after it)';
    const costs = ['$03$', '$32$', '$99$'].map((cost) => BCRYPT.replace(/\$\d\d\$/, cost));
    const bad = [ARGON2, 'md5:abc', BCRYPT.slice(0, -1), BCRYPT.replace('$2b$', '$2x$'), ...costs];
    for (const hash of bad) {
      assert.deepEqual(rowProblems({ ...ok, password_hash: hash }), [problem], hash);
    }
    assert.deepEqual(rowProblems({ ...ok, password_hash: null }), [
      '[0].password_hash: expected string, got null',
    ]);
  });

  test('a hash whose cost one login could not afford is refused (bcrypt > 15, argon2 > 256 MiB)', () => {
    const withCost = (cost: string) => BCRYPT.replace(/\$\d\d\$/, `$${cost}$`);
    assert.equal(valid({ ...ok, password_hash: withCost('15') }).password_hash, withCost('15'));
    assert.deepEqual(rowProblems({ ...ok, password_hash: withCost('31') }), [
      '[0].password_hash: bcrypt cost 31 is above 15, the highest Latchkey imports (each login, a wrong password too, would cost 2^31 rounds)',
    ]);
    const argon2 = (params: string) => ARGON2.replace(/m=\d+,t=\d+,p=\d+/, params);
    const custom = (value: string) =>
      rowProblems({ ...ok, custom_password_hash: { algorithm: 'argon2', hash: { value } } });
    assert.deepEqual(custom(argon2('m=262144,t=16,p=16')), []);
    assert.deepEqual(custom(argon2('m=4194304,t=17,p=1')), [
      '[0].custom_password_hash.hash.value: argon2 m=4194304 is above 262144, t=17 is above 16, the highest Latchkey imports (m in KiB)',
    ]);
  });

  test('custom_password_hash: bcrypt and argon2 (any variant) are taken as the hash', () => {
    const custom = (algorithm: string, value: string, extra = {}) =>
      valid({ ...ok, custom_password_hash: { algorithm, hash: { value, ...extra } } });
    assert.equal(custom('bcrypt', BCRYPT).password_hash, BCRYPT);
    assert.equal(custom('bcrypt', BCRYPT, { encoding: 'utf8' }).password_hash, BCRYPT);
    for (const variant of ['argon2id', 'argon2i', 'argon2d']) {
      const hash = ARGON2.replace('argon2id', variant);
      assert.equal(custom('argon2', hash).password_hash, hash);
    }
    assert.equal('custom_password_hash' in custom('argon2', ARGON2), false);
  });

  test('custom_password_hash: other algorithms are rejected with the reason', () => {
    const at = '[0].custom_password_hash';
    const problem = (hash: unknown) => rowProblems({ ...ok, custom_password_hash: hash });
    assert.deepEqual(problem({ algorithm: 'md5', hash: { value: 'x' } }), [
      `${at}.algorithm: "md5" is not supported; Latchkey imports "bcrypt" and "argon2" hashes only`,
    ]);
    assert.deepEqual(problem({ algorithm: 'rot13', hash: { value: 'x' } }), [
      `${at}.algorithm: unknown algorithm "rot13"; Latchkey imports "bcrypt" and "argon2" hashes only`,
    ]);
    assert.deepEqual(problem({ hash: { value: BCRYPT } }), [
      `${at}.algorithm: missing required field`,
    ]);
    assert.deepEqual(problem({ algorithm: 1, hash: {} }), [
      `${at}.algorithm: expected string, got integer`,
    ]);
  });

  test('custom_password_hash: shape of the object and of its hash', () => {
    const at = '[0].custom_password_hash';
    const problem = (hash: unknown) => rowProblems({ ...ok, custom_password_hash: hash });
    assert.deepEqual(problem(BCRYPT), [`${at}: expected object, got string`]);
    assert.deepEqual(problem({ algorithm: 'bcrypt' }), [`${at}.hash: missing required field`]);
    assert.deepEqual(problem({ algorithm: 'bcrypt', hash: BCRYPT }), [
      `${at}.hash: expected object, got string`,
    ]);
    assert.deepEqual(problem({ algorithm: 'bcrypt', hash: {} }), [
      `${at}.hash.value: missing required field`,
    ]);
    assert.deepEqual(problem({ algorithm: 'bcrypt', hash: { value: ARGON2 } }), [
      `${at}.hash.value: must be a bcrypt hash ($2a$, $2b$ or $2y$, a cost from 04 to 31, 53 characters after it)`,
    ]);
    assert.deepEqual(problem({ algorithm: 'argon2', hash: { value: BCRYPT } }), [
      `${at}.hash.value: must be an argon2 PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)`,
    ]);
    assert.deepEqual(problem({ algorithm: 'argon2', hash: { value: 3 } }), [
      `${at}.hash.value: expected string, got integer`,
    ]);
    assert.deepEqual(problem({ algorithm: 'bcrypt', hash: { value: BCRYPT, encoding: 'hex' } }), [
      `${at}.hash.encoding: must be "utf8" for bcrypt (a PHC or bcrypt string)`,
    ]);
  });

  test('custom_password_hash: members of other algorithms and unknown members', () => {
    const at = '[0].custom_password_hash';
    const unused =
      'not used with algorithm "argon2" (the hash string holds its salt and parameters)';
    assert.deepEqual(
      rowProblems({
        ...ok,
        custom_password_hash: {
          algorithm: 'argon2',
          hash: { value: ARGON2, digest: 'sha256', colour: 'red' },
          salt: { value: 'x' },
          keylen: 32,
          extra: true,
        },
      }),
      [
        `${at}.salt: ${unused}`,
        `${at}.keylen: ${unused}`,
        `${at}.extra: unknown field`,
        `${at}.hash.digest: ${unused}`,
        `${at}.hash.colour: unknown field`,
      ],
    );
  });

  test('password_hash and custom_password_hash exclude each other', () => {
    assert.deepEqual(
      rowProblems({
        ...ok,
        password_hash: BCRYPT,
        custom_password_hash: { algorithm: 'bcrypt', hash: { value: BCRYPT } },
      }),
      ['[0].custom_password_hash: give either password_hash or custom_password_hash, not both'],
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashProfile, parseHashProfile } from '../../src/accounts/hash-profile.js';

const BCRYPT_TAIL = 'MJwe4.NchR7zZtTR6xTOJuPvN3MuSwE.GUxiiInwtIkRhJ7BMTaA6';

describe('hash profiles: what a stored hash costs to verify', () => {
  it('gives every bcrypt variant of one cost the same profile', () => {
    for (const variant of ['2a', '2b', '2y']) {
      assert.equal(hashProfile(`$${variant}$10$${BCRYPT_TAIL}`), '$2b$10$');
    }
    assert.equal(hashProfile(`$2b$04$${BCRYPT_TAIL}`), '$2b$04$');
    assert.deepEqual(parseHashProfile(`$2y$12$${BCRYPT_TAIL}`), { family: 'bcrypt', cost: 12 });
  });

  it('reads argon2 variant, version and m, t, p', () => {
    assert.equal(
      hashProfile('$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo'),
      '$argon2id$v=19$m=19456,t=2,p=1$',
    );
    assert.deepEqual(parseHashProfile('$argon2i$v=16$m=65536,t=3,p=16$c2FsdHNhbHQ$aGFzaA'), {
      family: 'argon2',
      variant: 'argon2i',
      version: 16,
      m: 65536,
      t: 3,
      p: 16,
    });
    assert.equal(
      hashProfile('$argon2d$v=19$m=4096,t=1,p=2,keyid=a$c2FsdA$aGFzaA'),
      '$argon2d$v=19$m=4096,t=1,p=2$',
    );
  });

  it('reads the start of a hash that reaches its parameters, as storage groups them', () => {
    assert.equal(hashProfile('$2a$10$'), '$2b$10$');
    assert.equal(hashProfile('$argon2id$v=19$m=19456,t=2,p=1$'), '$argon2id$v=19$m=19456,t=2,p=1$');
    assert.equal(
      hashProfile('$argon2id$v=19$m=19456,t=2,p=16'),
      '$argon2id$v=19$m=19456,t=2,p=16$',
    );
  });

  it('is null for anything else', () => {
    for (const text of [
      '',
      'h0',
      '$2b$1',
      '$2x$10$abc',
      '$argon2id$v=19$m=1',
      '$scrypt$ln=15',
      'not-a-hash,p=1',
    ]) {
      assert.equal(hashProfile(text), null, text);
    }
  });
});

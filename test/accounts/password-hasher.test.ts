import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { verify as argon2Verify } from '@node-rs/argon2';
import { compare, hashSync } from '@node-rs/bcrypt';
import { hashProfile } from '../../src/accounts/hash-profile.js';
import {
  Argon2PasswordHasher,
  type HashNatives,
  MAX_PASSWORD_BYTES,
} from '../../src/accounts/password-hasher.js';
import { OAuthError } from '../../src/errors/oauth-error.js';

const PASSWORD = 'scheduler-test-password';

function isShed(err: unknown): boolean {
  return (
    err instanceof OAuthError &&
    err.status === 503 &&
    err.error === 'temporarily_unavailable' &&
    err.headers['Retry-After'] === '1'
  );
}

describe('Argon2PasswordHasher on its hash scheduler', () => {
  let stored: string;
  before(async () => {
    stored = await new Argon2PasswordHasher().hash(PASSWORD);
  });

  it('answers 503 temporarily_unavailable with Retry-After once the queue is full', async () => {
    const hasher = new Argon2PasswordHasher({ concurrency: 1, maxQueue: 1, maxQueuePerSource: 1 });
    const first = hasher.verify(PASSWORD, stored, '192.0.2.1');
    const second = hasher.verify('wrong', stored, '192.0.2.1');
    await assert.rejects(hasher.verify(PASSWORD, stored, '192.0.2.1'), isShed);
    assert.equal(await first, true);
    assert.equal(await second, false);
    assert.equal(await hasher.verify(PASSWORD, stored, '192.0.2.1'), true);
  });

  it('sends the dummy verification of an unknown user through the same queue', async () => {
    const hasher = new Argon2PasswordHasher({ concurrency: 1, maxQueue: 0 });
    await hasher.verify('warm', null); // makes the dummy hash once
    const busy = hasher.verify(PASSWORD, stored, '192.0.2.1');
    await assert.rejects(hasher.verify('whatever', null, '192.0.2.2'), isShed);
    await assert.rejects(hasher.verify('x'.repeat(5000), stored, '192.0.2.3'), isShed);
    assert.equal(await busy, true);
  });

  it('never refuses hashing new passwords (imports, rehash)', async () => {
    const hasher = new Argon2PasswordHasher({ concurrency: 1, maxQueue: 0, maxQueuePerSource: 0 });
    const hashes = await Promise.all([1, 2, 3].map((i) => hasher.hash(`${PASSWORD}-${i}`)));
    assert.equal(hashes.length, 3);
    assert.equal(await hasher.verify(`${PASSWORD}-3`, hashes[2] ?? null), true);
  });
});

describe('bcrypt and its 72-byte input (AU-12)', () => {
  const prefix = 'p'.repeat(72);

  it('two passwords sharing the first 72 bytes do not both verify: over 72 bytes never does', async () => {
    const hasher = new Argon2PasswordHasher();
    const long = `${prefix}-the-real-tail`;
    const stored = hashSync(long, 4);
    assert.equal(await compare(`${prefix}-another-tail`, stored), true, 'bcrypt itself would');
    assert.equal(await hasher.verify(`${prefix}-another-tail`, stored), false);
    assert.equal(await hasher.verify(long, stored), false, 'nor the full password it was made of');
    const exact = hashSync(prefix, 4);
    assert.equal(await hasher.verify(prefix, exact), true, '72 bytes still verify');
    const multibyte = 'é'.repeat(36); // 72 bytes in UTF-8
    assert.equal(await hasher.verify(multibyte, hashSync(multibyte, 4)), true);
    assert.equal(await hasher.verify(`${multibyte}x`, hashSync(`${multibyte}x`, 4)), false);
  });
});

/** The real verifications, recorded: which native ran against which hash. */
function recordingNatives() {
  const calls: Array<[string, string]> = [];
  const natives: HashNatives = {
    argon2Verify: (storedHash, password) => {
      calls.push(['argon2', storedHash]);
      return argon2Verify(storedHash, password);
    },
    bcryptCompare: (password, storedHash) => {
      calls.push(['bcrypt', storedHash]);
      return compare(password, storedHash);
    },
  };
  return { calls, natives };
}

describe('equal work for a password over 1024 bytes (AU-9, AU-12)', () => {
  const oversized = 'x'.repeat(MAX_PASSWORD_BYTES + 1);

  it("is checked against the user's own hash, bcrypt or argon2, and never verifies", async () => {
    const { calls, natives } = recordingNatives();
    const hasher = new Argon2PasswordHasher({}, natives);
    const bcrypt = hashSync(oversized, 4);
    const argon2 = await hasher.hash(oversized);
    assert.equal(await hasher.verify(oversized, bcrypt), false);
    assert.equal(await hasher.verify(oversized, argon2), false);
    assert.deepEqual(calls, [
      ['bcrypt', bcrypt],
      ['argon2', argon2],
    ]);
  });
});

describe('decoy hashes: a random secret hashed with a given cost profile', () => {
  it('makes bcrypt and argon2 decoys with exactly the profile asked for', async () => {
    const hasher = new Argon2PasswordHasher();
    for (const profile of [
      '$2b$04$',
      '$argon2id$v=19$m=19456,t=2,p=1$',
      '$argon2i$v=19$m=4096,t=3,p=2$',
      '$argon2d$v=16$m=1024,t=1,p=1$',
    ]) {
      const decoy = await hasher.decoy(profile);
      assert.equal(hashProfile(decoy), profile);
      assert.equal(decoy.startsWith(profile), true, decoy);
      assert.equal(await hasher.verify('', decoy), false);
    }
  });

  it('gives two decoys of one profile different secrets', async () => {
    const hasher = new Argon2PasswordHasher();
    assert.notEqual(await hasher.decoy('$2b$04$'), await hasher.decoy('$2b$04$'));
  });

  it('refuses what is not a profile', async () => {
    await assert.rejects(new Argon2PasswordHasher().decoy('$md5$'), /not a hash profile/);
  });
});

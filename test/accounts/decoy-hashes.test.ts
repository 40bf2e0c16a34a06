import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecoyHashes, decoyKey } from '../../src/accounts/decoy-hashes.js';
import type { PasswordHashProfileCount } from '../../src/storage/models.js';

const BCRYPT = '$2b$10$';
const ARGON2 = '$argon2id$v=19$m=19456,t=2,p=1$';
const WEAK = '$argon2id$v=19$m=4096,t=1,p=1$';

const KEY = Buffer.alloc(32, 7);

/** Counts the test sets, and a hasher whose decoy is the profile's name with a mint number. */
function setUp(
  counts: PasswordHashProfileCount[],
  failing: readonly string[] = [],
  options: { key?: Buffer; mintGate?: Promise<void>; startBudgetMs?: number } = {},
) {
  const state = { counts, mints: [] as string[] };
  const decoys = new DecoyHashes(
    { passwordHashProfiles: async () => state.counts },
    {
      decoy: async (profile) => {
        await options.mintGate;
        if (failing.includes(profile)) throw new Error(`cannot mint ${profile}`);
        state.mints.push(profile);
        return `decoy:${profile}`;
      },
    },
    options.key ?? KEY,
    { maxProfiles: 2, maxDecoys: 3, startBudgetMs: options.startBudgetMs ?? 5000 },
  );
  return { decoys, state };
}

function share(decoys: DecoyHashes, connection: string, names: number): Map<string | null, number> {
  const seen = new Map<string | null, number>();
  for (let i = 0; i < names; i++) {
    const decoy = decoys.for(connection, `user-${i}@example.com`);
    seen.set(decoy, (seen.get(decoy) ?? 0) + 1);
  }
  return seen;
}

describe('decoy hashes: what a login with no hash to check verifies', () => {
  it('has none before the first refresh, nor for a connection without users', async () => {
    const { decoys } = setUp([{ connection: 'db', profile: BCRYPT, users: 1 }]);
    assert.equal(decoys.for('db', 'nobody'), null);
    await decoys.refresh();
    assert.equal(decoys.for('db', 'nobody'), `decoy:${BCRYPT}`);
    assert.equal(decoys.for('empty', 'nobody'), null);
  });

  it('picks each profile in proportion to its users (4,000 names, 3:1)', async () => {
    const { decoys } = setUp([
      { connection: 'db', profile: BCRYPT, users: 300 },
      { connection: 'db', profile: ARGON2, users: 100 },
    ]);
    await decoys.refresh();
    const seen = share(decoys, 'db', 4000);
    const bcrypt = (seen.get(`decoy:${BCRYPT}`) ?? 0) / 4000;
    assert.ok(bcrypt > 0.7 && bcrypt < 0.8, `bcrypt share ${bcrypt}`);
    assert.equal((seen.get(`decoy:${ARGON2}`) ?? 0) + (seen.get(`decoy:${BCRYPT}`) ?? 0), 4000);
  });

  it('gives a name the same decoy every time, whatever its case, per connection', async () => {
    const { decoys } = setUp([
      { connection: 'db', profile: BCRYPT, users: 1 },
      { connection: 'db', profile: ARGON2, users: 1 },
      { connection: 'legacy', profile: BCRYPT, users: 5 },
    ]);
    await decoys.refresh();
    for (let i = 0; i < 50; i++) {
      const name = `Someone-${i}@Example.com`;
      const first = decoys.for('db', name);
      assert.equal(decoys.for('db', name.toLowerCase()), first);
      assert.equal(decoys.for('db', name.toUpperCase()), first);
      assert.equal(decoys.for('legacy', name), `decoy:${BCRYPT}`);
    }
  });

  it('keeps the most common profiles of a connection and mints each profile once', async () => {
    const { decoys, state } = setUp([
      { connection: 'db', profile: BCRYPT, users: 10 },
      { connection: 'db', profile: ARGON2, users: 5 },
      { connection: 'db', profile: WEAK, users: 1 },
      { connection: 'other', profile: BCRYPT, users: 2 },
    ]);
    await decoys.refresh();
    await decoys.refresh();
    assert.deepEqual(state.mints, [BCRYPT, ARGON2]);
    assert.equal(share(decoys, 'db', 500).has(`decoy:${WEAK}`), false);
  });

  it('follows the counts on refresh: profiles come and go', async () => {
    const { decoys, state } = setUp([{ connection: 'db', profile: BCRYPT, users: 1 }]);
    await decoys.refresh();
    state.counts = [{ connection: 'db', profile: ARGON2, users: 3 }];
    await decoys.refresh();
    assert.deepEqual([...share(decoys, 'db', 100).keys()], [`decoy:${ARGON2}`]);
    state.counts = [];
    await decoys.refresh();
    assert.equal(decoys.for('db', 'nobody'), null);
    state.counts = [{ connection: 'db', profile: BCRYPT, users: 1 }];
    await decoys.refresh();
    assert.deepEqual(state.mints, [BCRYPT, ARGON2, BCRYPT], 'a profile gone is minted again');
  });

  it('leaves out a profile whose decoy cannot be minted, and says why', async () => {
    const { decoys } = setUp(
      [
        { connection: 'db', profile: BCRYPT, users: 5 },
        { connection: 'db', profile: ARGON2, users: 5 },
      ],
      [BCRYPT],
    );
    const errors: string[] = [];
    await decoys.refresh((err, profile) => errors.push(`${profile}: ${(err as Error).message}`));
    assert.deepEqual(errors, [`${BCRYPT}: cannot mint ${BCRYPT}`]);
    assert.deepEqual([...share(decoys, 'db', 100).keys()], [`decoy:${ARGON2}`]);
  });

  it('mints at most maxDecoys decoys over all connections, the most common first', async () => {
    const { decoys, state } = setUp([
      { connection: 'a', profile: '$2b$04$', users: 1 },
      { connection: 'a', profile: '$2b$05$', users: 9 },
      { connection: 'b', profile: '$2b$06$', users: 8 },
      { connection: 'b', profile: '$2b$07$', users: 7 },
    ]);
    await decoys.refresh();
    assert.deepEqual(state.mints, ['$2b$05$', '$2b$06$', '$2b$07$']);
    assert.deepEqual([...share(decoys, 'a', 200).keys()], ['decoy:$2b$05$']);
  });

  it('keeps its tables when reading the counts fails', async () => {
    const { decoys, state } = setUp([{ connection: 'db', profile: BCRYPT, users: 1 }]);
    await decoys.refresh();
    const errors: unknown[] = [];
    Object.defineProperty(state, 'counts', {
      get() {
        throw new Error('database is locked');
      },
    });
    const stop = await decoys.start((err) => errors.push(err));
    stop();
    assert.equal(errors.length, 1);
    assert.equal(decoys.for('db', 'nobody'), `decoy:${BCRYPT}`);
  });

  it('mints no decoy for a profile one login could not afford (stored data may predate the limits)', async () => {
    const { decoys, state } = setUp([
      { connection: 'db', profile: '$2b$31$', users: 50 },
      { connection: 'db', profile: '$argon2id$v=19$m=4194304,t=1,p=1$', users: 40 },
      { connection: 'db', profile: '$argon2id$v=19$m=19456,t=0,p=1$', users: 30 },
      { connection: 'db', profile: '$2b$03$', users: 20 },
      { connection: 'db', profile: BCRYPT, users: 1 },
    ]);
    await decoys.refresh();
    assert.deepEqual(state.mints, [BCRYPT]);
    assert.deepEqual([...share(decoys, 'db', 50).keys()], [`decoy:${BCRYPT}`]);
  });

  it('shares one refresh between callers: each profile is minted once', async () => {
    const { decoys, state } = setUp([
      { connection: 'db', profile: BCRYPT, users: 2 },
      { connection: 'db', profile: ARGON2, users: 1 },
    ]);
    await Promise.all([decoys.refresh(), decoys.refresh(), decoys.refresh()]);
    assert.deepEqual(state.mints, [BCRYPT, ARGON2]);
  });

  it('starts within its budget when minting is slow, and uses the decoys once they are ready', async () => {
    let open: () => void = () => {};
    const mintGate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const { decoys } = setUp([{ connection: 'db', profile: BCRYPT, users: 1 }], [], {
      mintGate,
      startBudgetMs: 20,
    });
    const stop = await decoys.start(() => {});
    assert.equal(decoys.for('db', 'nobody'), null, 'not ready yet: the argon2id dummy');
    open();
    await decoys.refresh();
    assert.equal(decoys.for('db', 'nobody'), `decoy:${BCRYPT}`);
    stop();
  });

  it('picks by its key: the same key gives a name the same profile in another process', async () => {
    const counts = [
      { connection: 'db', profile: BCRYPT, users: 1 },
      { connection: 'db', profile: ARGON2, users: 1 },
    ];
    const first = setUp(counts).decoys;
    const second = setUp(counts).decoys;
    const other = setUp(counts, [], { key: Buffer.alloc(32, 9) }).decoys;
    await Promise.all([first.refresh(), second.refresh(), other.refresh()]);
    const names = Array.from({ length: 64 }, (_, i) => `name-${i}`);
    const picks = (d: DecoyHashes) => names.map((n) => d.for('db', n));
    assert.deepEqual(picks(first), picks(second));
    assert.notDeepEqual(picks(first), picks(other));
  });

  it('derives its key from the server secret, not the secret itself', () => {
    const secret = Buffer.alloc(32, 1);
    assert.equal(decoyKey(secret).length, 32);
    assert.deepEqual(decoyKey(secret), decoyKey(Buffer.alloc(32, 1)));
    assert.notDeepEqual(decoyKey(secret), secret);
    assert.notDeepEqual(decoyKey(secret), decoyKey(Buffer.alloc(32, 2)));
  });
});

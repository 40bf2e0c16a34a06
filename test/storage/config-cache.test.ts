import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ATTACK_PROTECTION } from '../../src/attack-protection/settings.js';
import { withConfigCache } from '../../src/storage/config-cache.js';
import { aClient, aUser } from '../../src/storage/contract/fixtures.js';
import type { GuardianSettings } from '../../src/storage/mfa-models.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { TestClock } from '../helpers/clock.js';

describe('config cache in front of storage', () => {
  let inner: Storage;
  let cached: Storage;
  const clock = new TestClock();
  let clientReads = 0;
  before(async () => {
    inner = await openSqliteStorage({ path: ':memory:' });
    const get = inner.clients.get.bind(inner.clients);
    const spied: Storage = {
      ...inner,
      clients: {
        ...inner.clients,
        get: (id) => {
          clientReads++;
          return get(id);
        },
      },
    };
    cached = withConfigCache(spied, clock, 1000);
  });
  after(() => inner.close());

  it('serves repeated reads from memory until the TTL passes', async () => {
    await inner.clients.upsert(aClient({ client_id: 'c1', name: 'one' }));
    clientReads = 0;
    assert.equal((await cached.clients.get('c1'))?.name, 'one');
    assert.equal((await cached.clients.get('c1'))?.name, 'one');
    assert.equal(clientReads, 1);
    await inner.clients.upsert(aClient({ client_id: 'c1', name: 'changed elsewhere' }));
    assert.equal((await cached.clients.get('c1'))?.name, 'one', 'stale within the TTL');
    clock.advance(1);
    assert.equal((await cached.clients.get('c1'))?.name, 'changed elsewhere');
    assert.equal(clientReads, 2);
  });

  it('forgets everything on a write through it or a transaction', async () => {
    await cached.clients.get('c1');
    await cached.clients.upsert(aClient({ client_id: 'c1', name: 'written here' }));
    assert.equal((await cached.clients.get('c1'))?.name, 'written here');
    await cached.transaction(async (tx) =>
      tx.clients.upsert(aClient({ client_id: 'c1', name: 'in a tx' })),
    );
    assert.equal((await cached.clients.get('c1'))?.name, 'in a tx');
  });

  it('does not cache misses, and never caches users', async () => {
    clientReads = 0;
    assert.equal(await cached.clients.get('ghost'), null);
    assert.equal(await cached.clients.get('ghost'), null);
    assert.equal(clientReads, 2);
    const user = aUser({ user_id: 'auth0|u1', blocked: false });
    await cached.users.upsert(user);
    await cached.users.get('auth0|u1');
    await inner.users.upsert({ ...user, blocked: true });
    assert.equal((await cached.users.get('auth0|u1'))?.blocked, true, 'a block is seen at once');
  });
});

describe('config cache: attack-protection and Guardian settings', () => {
  let inner: Storage;
  let cached: Storage;
  const clock = new TestClock();
  const reads = { attack: 0, guardian: 0 };
  before(async () => {
    inner = await openSqliteStorage({ path: ':memory:' });
    const { attackSettings, guardian } = inner;
    const spied: Storage = {
      ...inner,
      attackSettings: {
        ...attackSettings,
        get: () => {
          reads.attack++;
          return attackSettings.get();
        },
      },
      guardian: {
        ...guardian,
        get: () => {
          reads.guardian++;
          return guardian.get();
        },
      },
    };
    cached = withConfigCache(spied, clock, 1000);
  });
  after(() => inner.close());

  const strict = () => {
    const settings = structuredClone(DEFAULT_ATTACK_PROTECTION);
    settings.brute_force_protection.max_attempts = 3;
    return settings;
  };

  it('keeps "no settings stored" (null) too, read once per TTL', async () => {
    assert.equal(await cached.attackSettings.get(), null);
    assert.equal(await cached.attackSettings.get(), null);
    assert.equal(reads.attack, 1);
    await inner.attackSettings.put(strict());
    assert.equal(await cached.attackSettings.get(), null, 'stale within the TTL');
    clock.advance(1000);
    assert.equal((await cached.attackSettings.get())?.brute_force_protection.max_attempts, 3);
    assert.equal(reads.attack, 2);
  });

  it('sees a settings write through it at once', async () => {
    const settings = strict();
    settings.brute_force_protection.max_attempts = 7;
    await cached.attackSettings.put(settings);
    assert.equal((await cached.attackSettings.get())?.brute_force_protection.max_attempts, 7);
  });

  it('caches Guardian settings and forgets them on a write through it', async () => {
    reads.guardian = 0;
    assert.deepEqual(await cached.guardian.get(), { policies: [], factors: [] });
    assert.deepEqual(await cached.guardian.get(), { policies: [], factors: [] });
    assert.equal(reads.guardian, 1);
    const settings: GuardianSettings = {
      policies: ['all-applications'],
      factors: [{ name: 'otp', enabled: true }],
    };
    await cached.guardian.put(settings);
    assert.deepEqual(await cached.guardian.get(), settings);
    assert.equal(reads.guardian, 2);
  });
});

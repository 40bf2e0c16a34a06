import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withConfigCache } from '../../src/storage/config-cache.js';
import { aClient, aUser } from '../../src/storage/contract/fixtures.js';
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

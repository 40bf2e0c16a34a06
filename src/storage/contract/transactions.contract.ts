/**
 * @module storage/contract/transactions.contract
 *
 * Contract tests for `transaction(fn)` and `close()`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation } from '../storage.js';
import { aClient, aUser } from './fixtures.js';
import { type OpenStorage, useFreshStorage } from './harness.js';

function describeTransactions(open: OpenStorage): void {
  describe('transactions', () => {
    const storage = useFreshStorage(open);

    it('commits the writes of every store when fn resolves, and returns its value', async () => {
      const result = await storage().transaction(async (tx) => {
        await tx.clients.upsert(aClient());
        await tx.users.upsert(aUser());
        assert.deepEqual(await tx.clients.get('client-a'), aClient(), 'tx reads its own writes');
        return 'done';
      });
      assert.equal(result, 'done');
      assert.deepEqual(await storage().clients.get('client-a'), aClient());
      assert.deepEqual(await storage().users.get('auth0|ada'), aUser());
    });

    it('rolls back the writes of every store when fn throws, and rethrows', async () => {
      const boom = new Error('boom');
      await storage().users.upsert(aUser({ password_hash: 'h0' }));
      const failing = storage().transaction(async (tx) => {
        await tx.clients.upsert(aClient());
        await tx.users.upsert(aUser({ user_id: 'auth0|bob', email: 'bob@example.com' }));
        await tx.users.compareAndSetPasswordHash('auth0|ada', 'h0', 'h1');
        await tx.counters.increment('k', 1, 200, 100);
        throw boom;
      });
      await assert.rejects(failing, (error) => error === boom);
      assert.equal(await storage().clients.get('client-a'), null);
      assert.equal(await storage().users.get('auth0|bob'), null);
      assert.equal((await storage().users.get('auth0|ada'))?.password_hash, 'h0');
      assert.equal(await storage().counters.get('k', 100), 0);
    });

    it('rolls back when a store inside it throws UniqueViolation', async () => {
      await storage().users.upsert(aUser());
      const failing = storage().transaction(async (tx) => {
        await tx.clients.upsert(aClient());
        await tx.users.upsert(aUser({ user_id: 'auth0|twin' }));
      });
      await assert.rejects(failing, UniqueViolation);
      assert.equal(await storage().clients.get('client-a'), null);
    });

    it('refuses to nest', async () => {
      await storage().transaction(async (tx) => {
        await assert.rejects(
          tx.transaction(async () => 'inner'),
          Error,
        );
      });
    });
  });
}

function describeClose(open: OpenStorage): void {
  describe('close', () => {
    it('closes the storage; later calls reject', async () => {
      const storage = await open();
      await storage.clients.upsert(aClient());
      await storage.close();
      await assert.rejects(storage.clients.get('client-a'));
    });
  });
}

/** Contract tests for transactions and closing. */
export function describeTransactionsContract(open: OpenStorage): void {
  describeTransactions(open);
  describeClose(open);
}

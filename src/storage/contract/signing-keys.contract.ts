/**
 * @module storage/contract/signing-keys.contract
 *
 * Contract tests for the signing-key store: insert, list, status transitions as
 * compare-and-set, and the version that moves with every change.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation } from '../storage.js';
import { aSigningKey } from './fixtures.js';
import { type OpenStorage, sortedBy, useFreshStorage } from './harness.js';

const LATER = '2026-02-01T00:00:00.000Z';

/** Contract tests for the signing-key store. */
export function describeSigningKeysContract(open: OpenStorage): void {
  describe('signing keys', () => {
    const storage = useFreshStorage(open);

    it('lists nothing at first, then every inserted key', async () => {
      assert.deepEqual(await storage().signingKeys.list(), []);
      const next = aSigningKey();
      const current = aSigningKey({ kid: 'kid-0', status: 'current' });
      await storage().signingKeys.insert(next);
      await storage().signingKeys.insert(current);
      const listed = sortedBy(await storage().signingKeys.list(), (k) => k.kid);
      assert.deepEqual(
        listed,
        sortedBy([next, current], (k) => k.kid),
      );
    });

    it('rejects a second key with the same kid', async () => {
      await storage().signingKeys.insert(aSigningKey());
      await assert.rejects(
        storage().signingKeys.insert(aSigningKey({ status: 'current' })),
        (error) => error instanceof UniqueViolation && error.field === 'kid',
      );
    });

    it('transitions a key only from the expected status', async () => {
      await storage().signingKeys.insert(aSigningKey());
      assert.equal(await storage().signingKeys.transition('kid-1', 'next', 'current', LATER), true);
      assert.equal(
        await storage().signingKeys.transition('kid-1', 'next', 'previous', LATER),
        false,
      );
      assert.equal(
        await storage().signingKeys.transition('kid-9', 'next', 'current', LATER),
        false,
      );
      const [key] = await storage().signingKeys.list();
      assert.deepEqual(key, aSigningKey({ status: 'current', status_changed_at: LATER }));
    });

    it('changes the version on insert and on transition, and only then', async () => {
      const keys = storage().signingKeys;
      const empty = await keys.version();
      assert.equal(await keys.version(), empty);
      await keys.insert(aSigningKey());
      const afterInsert = await keys.version();
      assert.notEqual(afterInsert, empty);
      await keys.transition('kid-1', 'current', 'previous', LATER);
      assert.equal(await keys.version(), afterInsert, 'a failed transition changes nothing');
      await keys.transition('kid-1', 'next', 'current', LATER);
      const afterTransition = await keys.version();
      assert.notEqual(afterTransition, afterInsert);
      assert.notEqual(afterTransition, empty);
    });
  });
}

/**
 * @module storage/contract/secrets.contract
 *
 * Contract tests for the secret store: `getOrCreate` keeps the first candidate for good, and
 * concurrent callers with different candidates all get the one that was stored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concurrently, type OpenStorage, useFreshStorage } from './harness.js';

/** Contract tests for the secret store. */
export function describeSecretsContract(open: OpenStorage): void {
  describe('secrets', () => {
    const storage = useFreshStorage(open);

    it('stores the first candidate and returns it ever after', async () => {
      const { secrets } = storage();
      assert.equal(await secrets.getOrCreate('refresh-key', 'first'), 'first');
      assert.equal(await secrets.getOrCreate('refresh-key', 'second'), 'first');
      assert.equal(await secrets.getOrCreate('other-key', 'third'), 'third');
      assert.equal(await secrets.getOrCreate('refresh-key', 'fourth'), 'first');
    });

    it('gives 20 concurrent callers with different candidates the same stored value', async () => {
      const candidates = Array.from({ length: 20 }, (_, i) => `candidate-${i}`);
      const values = await concurrently(candidates.length, (i) =>
        storage().secrets.getOrCreate('refresh-key', candidates[i]!),
      );
      const [stored] = values;
      assert.ok(stored !== undefined && candidates.includes(stored));
      assert.deepEqual(
        values,
        candidates.map(() => stored),
      );
      assert.equal(await storage().secrets.getOrCreate('refresh-key', 'late'), stored);
    });

    it('keeps a secret created in a transaction only if it commits', async () => {
      const failing = storage().transaction(async (tx) => {
        assert.equal(await tx.secrets.getOrCreate('refresh-key', 'rolled-back'), 'rolled-back');
        throw new Error('boom');
      });
      await assert.rejects(failing, /boom/);
      assert.equal(await storage().secrets.getOrCreate('refresh-key', 'kept'), 'kept');
    });
  });
}

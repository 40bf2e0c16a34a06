/**
 * @module storage/contract/outbox.contract
 *
 * Contract tests for the development mail outbox.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type OpenStorage, useFreshStorage } from './harness.js';

/** Contract tests for the outbox. */
export function describeOutboxContract(open: OpenStorage): void {
  describe('outbox', () => {
    const storage = useFreshStorage(open);

    it('records outbox messages and lists them by recipient, oldest first', async () => {
      const { outbox } = storage();
      const message = (id: string, to: string) => ({
        id,
        to,
        subject: 'Code',
        text: `text ${id}`,
        created_at: '2026-01-01T00:00:00.000Z',
      });
      await outbox.insert(message('m1', 'a@example.com'));
      await outbox.insert(message('m2', 'b@example.com'));
      await outbox.insert(message('m3', 'a@example.com'));
      assert.deepEqual(
        (await outbox.list('a@example.com')).map((m) => m.id),
        ['m1', 'm3'],
      );
      assert.deepEqual(await outbox.list('b@example.com'), [message('m2', 'b@example.com')]);
      assert.equal((await outbox.list()).length, 3);
    });
  });
}

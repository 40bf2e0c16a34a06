/**
 * @module storage/contract/attempt-buckets.contract
 *
 * Contract tests for attempt buckets (full at `capacity`, one back per `refillSeconds`, never
 * overdrawn by concurrent takes) and the development outbox.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concurrently, type OpenStorage, useFreshStorage } from './harness.js';

const CAPACITY = 3;
const REFILL = 60;

/** Contract tests for attempt buckets and the outbox. */
export function describeAttemptBucketsContract(open: OpenStorage): void {
  describe('attempt buckets and outbox', () => {
    const storage = useFreshStorage(open);

    it('gives `capacity` attempts, then none until a refill interval passes', async () => {
      const { mfaAttempts } = storage();
      const take = (now: number) => mfaAttempts.take('user-1', CAPACITY, REFILL, now);
      assert.deepEqual([await take(1000), await take(1000), await take(1000)], [true, true, true]);
      assert.equal(await take(1000), false);
      assert.equal(await mfaAttempts.retryAfter('user-1', CAPACITY, REFILL, 1000), 60);
      assert.equal(await mfaAttempts.retryAfter('user-1', CAPACITY, REFILL, 1059), 1);
      assert.equal(await take(1059), false);
      assert.equal(await take(1060), true, 'one back after one interval');
      assert.equal(await take(1060), false);
      assert.equal(await take(1240), true, 'three intervals later: three back');
      assert.equal(await take(1240), true);
      assert.equal(await take(1240), true);
      assert.equal(await take(1240), false);
      assert.equal(await mfaAttempts.take('user-2', CAPACITY, REFILL, 1240), true, 'per key');
    });

    it('never refills beyond capacity and gives back refunded attempts', async () => {
      const { mfaAttempts } = storage();
      assert.equal(await mfaAttempts.take('k', CAPACITY, REFILL, 0), true);
      const later = 100_000;
      const takes = [];
      for (let i = 0; i < 4; i++) takes.push(await mfaAttempts.take('k', CAPACITY, REFILL, later));
      assert.deepEqual(takes, [true, true, true, false]);
      await mfaAttempts.refund('k');
      assert.equal(await mfaAttempts.retryAfter('k', CAPACITY, REFILL, later), 0);
      assert.equal(await mfaAttempts.take('k', CAPACITY, REFILL, later), true);
      await mfaAttempts.reset('k');
      assert.equal(await mfaAttempts.retryAfter('k', CAPACITY, REFILL, later), 0);
      await mfaAttempts.refund('absent');
      assert.equal(await mfaAttempts.retryAfter('absent', CAPACITY, REFILL, later), 0);
    });

    it('lets exactly `capacity` of many concurrent takes through', async () => {
      const { mfaAttempts } = storage();
      const results = await concurrently(20, () => mfaAttempts.take('k', CAPACITY, REFILL, 500));
      assert.equal(results.filter(Boolean).length, CAPACITY);
    });

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

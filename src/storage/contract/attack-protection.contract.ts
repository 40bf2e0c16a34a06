/**
 * @module storage/contract/attack-protection.contract
 *
 * Contract tests for the other attack-protection stores: GCRA buckets never overdraw, even
 * concurrently, and refill; unblock tickets work once; the tenant log lists newest first;
 * settings round-trip.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_ATTACK_PROTECTION } from '../../attack-protection/settings.js';
import type { LogEvent, UnblockTicket } from '../models.js';
import { concurrently, type OpenStorage, useFreshStorage } from './harness.js';

const T = 1_700_000_000_000;

function ticket(overrides: Partial<UnblockTicket> = {}): UnblockTicket {
  return {
    ticket_hash: 'h1',
    gate_key: 'pair:x',
    user_id: 'auth0|ada',
    expires_at: 2000,
    ...overrides,
  };
}

function event(log_id: string, type: string, date: string): LogEvent {
  return {
    log_id,
    type,
    date,
    description: 'Wrong email or password.',
    client_id: 'c',
    ip: '203.0.113.1',
    client_ip: '127.0.0.1',
    user_id: null,
    user_name: 'ada@example.com',
    connection: 'db',
    details: { grant_type: 'password' },
  };
}

/** Contract tests for buckets, unblock tickets, the tenant log and settings. */
export function describeAttackProtectionContract(open: OpenStorage): void {
  describe('rate buckets', () => {
    const storage = useFreshStorage(open);

    it('allows `burst` takes, then refuses until one interval passes', async () => {
      const { rateBuckets } = storage();
      const remaining = [];
      for (let i = 0; i < 3; i++)
        remaining.push((await rateBuckets.take('b', 3, 1000, T)).remaining);
      assert.deepEqual(remaining, [2, 1, 0]);
      assert.deepEqual(await rateBuckets.take('b', 3, 1000, T + 999), {
        allowed: false,
        remaining: 0,
        nextAt: T + 1000,
      });
      assert.equal((await rateBuckets.take('b', 3, 1000, T + 1000)).allowed, true);
      assert.equal((await rateBuckets.take('b', 3, 1000, T + 1000)).allowed, false);
    });

    it('takes a given-back attempt again', async () => {
      const { rateBuckets } = storage();
      await rateBuckets.take('b', 1, 1000, T);
      await rateBuckets.giveBack('b', 1000, T);
      assert.equal((await rateBuckets.take('b', 1, 1000, T)).allowed, true);
    });

    it('never overdraws under 20 concurrent takes', async () => {
      const results = await concurrently(20, () => storage().rateBuckets.take('b', 5, 1000, T));
      assert.equal(results.filter((r) => r.allowed).length, 5);
    });

    it('resets a bucket to full', async () => {
      const { rateBuckets } = storage();
      await rateBuckets.take('b', 1, 1000, T);
      await rateBuckets.take('c', 1, 1000, T);
      assert.equal((await rateBuckets.take('b', 1, 1000, T)).allowed, false);
      await rateBuckets.reset('b');
      assert.equal((await rateBuckets.take('b', 1, 1000, T)).allowed, true);
      assert.equal((await rateBuckets.take('c', 1, 1000, T)).allowed, false, 'only that bucket');
      await rateBuckets.reset('absent');
    });

    it('purges buckets that are full again', async () => {
      const { rateBuckets } = storage();
      await rateBuckets.take('a', 5, 1000, T);
      await rateBuckets.take('b', 5, 1000, T + 5000);
      assert.equal(await rateBuckets.purgeFull(T + 1000), 1);
    });
  });

  describe('unblock tickets', () => {
    const storage = useFreshStorage(open);

    it('stores a ticket that is spent once, even concurrently', async () => {
      await storage().unblockTickets.insert(ticket());
      const spent = await concurrently(10, () => storage().unblockTickets.consume('h1', 1000));
      assert.deepEqual(
        spent.filter((t) => t !== null),
        [ticket()],
      );
    });

    it('refuses an expired ticket and purges it', async () => {
      const { unblockTickets } = storage();
      await unblockTickets.insert(ticket());
      await unblockTickets.insert(ticket({ ticket_hash: 'h2', expires_at: 2001 }));
      assert.equal(await unblockTickets.consume('h1', 2000), null);
      assert.equal(await unblockTickets.purgeExpired(2000), 1);
      assert.equal((await unblockTickets.consume('h2', 2000))?.ticket_hash, 'h2');
    });
  });

  describe('log events', () => {
    const storage = useFreshStorage(open);

    it('lists newest first, by type, up to a limit, and purges by date', async () => {
      const { logEvents } = storage();
      await logEvents.record(event('1', 'fp', '2026-01-01T00:00:00.000Z'));
      await logEvents.record(event('2', 'fu', '2026-01-02T00:00:00.000Z'));
      await logEvents.record(event('3', 'fp', '2026-01-03T00:00:00.000Z'));
      assert.deepEqual(
        (await logEvents.list()).map((e) => e.log_id),
        ['3', '2', '1'],
      );
      assert.deepEqual(await logEvents.list({ type: 'fp', limit: 1 }), [
        event('3', 'fp', '2026-01-03T00:00:00.000Z'),
      ]);
      assert.equal(await logEvents.purgeBefore('2026-01-02T00:00:00.000Z'), 1);
      assert.equal((await logEvents.list()).length, 2);
    });

    it('records many in order, all or none, also inside a transaction', async () => {
      const { logEvents, transaction } = storage();
      const many = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, i) => event(`e${from + i}`, 'fp', '2026-01-01'));
      await logEvents.recordMany([]);
      await logEvents.recordMany(many(0, 40));
      const ids = (await logEvents.list({ limit: 200 })).map((e) => e.log_id);
      assert.deepEqual(
        ids,
        many(0, 40)
          .map((e) => e.log_id)
          .reverse(),
      );
      await assert.rejects(logEvents.recordMany([...many(40, 70), event('e0', 'fp', '2026')]));
      assert.equal((await logEvents.list({ limit: 200 })).length, 40, 'none of a failed batch');
      await transaction((tx) => tx.logEvents.recordMany(many(70, 90)));
      assert.equal((await logEvents.list({ limit: 200 })).length, 60);
    });
  });

  describe('attack-protection settings', () => {
    const storage = useFreshStorage(open);

    it('are null until put, then read back', async () => {
      const { attackSettings } = storage();
      assert.equal(await attackSettings.get(), null);
      await attackSettings.put(DEFAULT_ATTACK_PROTECTION);
      assert.deepEqual(await attackSettings.get(), DEFAULT_ATTACK_PROTECTION);
    });
  });
}

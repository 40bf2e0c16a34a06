/**
 * @module storage/contract/expiring.contract
 *
 * Contract tests for the stores whose entries expire: opaque access tokens, replay claims and
 * counters. An entry is expired at `now` when `expires_at <= now`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anAccessToken } from './fixtures.js';
import { concurrently, type OpenStorage, useFreshStorage } from './harness.js';

function describeAccessTokens(open: OpenStorage): void {
  describe('access tokens', () => {
    const storage = useFreshStorage(open);

    it('returns a stored token until it expires', async () => {
      const token = anAccessToken({ expires_at: 2000 });
      await storage().accessTokens.put(token);
      assert.deepEqual(await storage().accessTokens.get(token.token_hash, 1999), token);
      assert.equal(await storage().accessTokens.get(token.token_hash, 2000), null);
      assert.equal(await storage().accessTokens.get('unknown', 1000), null);
    });

    it('purges only the tokens expired at now and counts them', async () => {
      const live = anAccessToken({ token_hash: 'live', expires_at: 3000 });
      await storage().accessTokens.put(anAccessToken({ token_hash: 'old', expires_at: 1000 }));
      await storage().accessTokens.put(anAccessToken({ token_hash: 'edge', expires_at: 2000 }));
      await storage().accessTokens.put(live);
      assert.equal(await storage().accessTokens.purgeExpired(2000), 2);
      assert.equal(await storage().accessTokens.purgeExpired(2000), 0);
      assert.deepEqual(await storage().accessTokens.get('live', 2000), live);
    });
  });
}

function describeReplay(open: OpenStorage): void {
  describe('replay', () => {
    const storage = useFreshStorage(open);

    it('claims a key once until it expires, then again', async () => {
      assert.equal(await storage().replay.claim('jti-1', 200, 100), true);
      assert.equal(await storage().replay.claim('jti-1', 300, 199), false);
      assert.equal(await storage().replay.claim('jti-2', 300, 199), true);
      assert.equal(await storage().replay.claim('jti-1', 400, 200), true);
      assert.equal(await storage().replay.claim('jti-1', 500, 399), false);
    });

    it('lets exactly one of 100 concurrent claims of one key win', async () => {
      const results = await concurrently(100, () => storage().replay.claim('jti', 200, 100));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('purges only expired claims, counting them', async () => {
      await storage().replay.claim('old', 100, 0);
      await storage().replay.claim('live', 300, 0);
      assert.equal(await storage().replay.purgeExpired(100), 1);
      assert.equal(await storage().replay.claim('live', 400, 100), false);
      assert.equal(await storage().replay.purgeExpired(100), 0);
    });
  });
}

function describeCounters(open: OpenStorage): void {
  describe('counters', () => {
    const storage = useFreshStorage(open);

    it('adds to a counter and reads it, 0 when absent', async () => {
      const { counters } = storage();
      assert.equal(await counters.get('ip:1', 100), 0);
      assert.equal(await counters.increment('ip:1', 1, 200, 100), 1);
      assert.equal(await counters.increment('ip:1', 4, 200, 100), 5);
      assert.equal(await counters.increment('ip:2', 1, 200, 100), 1);
      assert.equal(await counters.get('ip:1', 150), 5);
    });

    it('restarts an expired counter from zero; each increment moves the expiry', async () => {
      const { counters } = storage();
      await counters.increment('k', 3, 200, 100);
      assert.equal(await counters.get('k', 200), 0, 'expired at expires_at');
      assert.equal(await counters.increment('k', 2, 300, 200), 2);
      assert.equal(await counters.increment('k', 1, 500, 250), 3);
      assert.equal(await counters.get('k', 400), 3, 'the last increment set the expiry');
    });

    it('resets a counter to zero', async () => {
      const { counters } = storage();
      await counters.increment('k', 7, 200, 100);
      await counters.reset('k');
      assert.equal(await counters.get('k', 100), 0);
      assert.equal(await counters.increment('k', 1, 200, 100), 1);
      await counters.reset('absent');
    });

    it('purges only the counters expired at now, counting them', async () => {
      const { counters } = storage();
      await counters.increment('old', 1, 100, 0);
      await counters.increment('edge', 1, 200, 0);
      await counters.increment('live', 2, 300, 0);
      assert.equal(await counters.purgeExpired(200), 2);
      assert.equal(await counters.purgeExpired(200), 0);
      assert.equal(await counters.get('live', 200), 2);
    });

    it('gives 100 concurrent increments the distinct values 1..100', async () => {
      const { counters } = storage();
      const values = await concurrently(100, () => counters.increment('k', 1, 200, 100));
      const expected = Array.from({ length: 100 }, (_, i) => i + 1);
      assert.deepEqual(
        [...values].sort((a, b) => a - b),
        expected,
      );
      assert.equal(await counters.get('k', 100), 100);
    });
  });
}

/** Contract tests for access tokens, replay claims and counters. */
export function describeExpiringContract(open: OpenStorage): void {
  describeAccessTokens(open);
  describeReplay(open);
  describeCounters(open);
}

/**
 * @module test/storage/purge.test
 *
 * The maintenance purge (`src/maintenance/purge.ts`) deletes the expired rows of every store
 * that has them and keeps the live ones.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BLOCK_SECONDS } from '../../src/attack-protection/settings.js';
import {
  EXPIRED_ANSWER_SECONDS,
  LOG_RETENTION_SECONDS,
  purgeExpired,
} from '../../src/maintenance/purge.js';
import { aLogEvent, anAccessToken, aRefreshToken } from '../../src/storage/contract/fixtures.js';
import { anMfaToken, anOobChallenge } from '../../src/storage/contract/mfa.contract.js';
import type { LogEvent } from '../../src/storage/models.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { TestClock } from '../helpers/clock.js';

const START = 1_800_000_000; // epoch seconds when the rows are written
const NOW = START + BLOCK_SECONDS + 1000; // when the purge runs

function event(log_id: string, at: number): LogEvent {
  return aLogEvent({ log_id, date: new Date(at * 1000).toISOString() });
}

/** One expired and one live row in every store the purge covers. */
async function seed(storage: Storage): Promise<void> {
  const gate = { kind: 'pair', user_id: null, ip: null, limit: 10, overflow: false } as const;
  await storage.loginGates.reserve(
    'old',
    { ...gate, forgetBefore: 0, leaseUntil: START + 1 },
    START,
  );
  await storage.loginGates.settle('old', 'failure', START);
  await storage.loginGates.reserve('live', { ...gate, forgetBefore: 0, leaseUntil: NOW + 60 }, NOW);
  await storage.rateBuckets.take('full-again', 5, 1000, START * 1000);
  await storage.rateBuckets.take('draining', 1, 3_600_000, NOW * 1000);
  const ticket = { gate_key: 'old', user_id: 'auth0|ada' };
  await storage.unblockTickets.insert({ ...ticket, ticket_hash: 'old', expires_at: NOW });
  await storage.unblockTickets.insert({ ...ticket, ticket_hash: 'live', expires_at: NOW + 1 });
  await storage.logEvents.record(event('old', NOW - LOG_RETENTION_SECONDS - 1));
  await storage.logEvents.record(event('live', NOW - 60));
  await storage.accessTokens.put(anAccessToken({ token_hash: 'old', expires_at: NOW }));
  await storage.accessTokens.put(anAccessToken({ token_hash: 'live', expires_at: NOW + 1 }));
  await storage.refreshTokens.insert(aRefreshToken({ token_hash: 'old', expires_at: NOW - 1 }));
  await storage.refreshTokens.insert(
    aRefreshToken({ token_hash: 'live', expires_at: NOW + 1, idle_expires_at: null }),
  );
  await storage.replay.claim('old', NOW, START);
  await storage.replay.claim('live', NOW + 1, START);
  await storage.dpopProofs.claim('jkt', 'old', NOW, START);
  await storage.dpopProofs.claim('jkt', 'live', NOW + 1, START);
  await storage.counters.increment('old', 1, NOW, START);
  await storage.counters.increment('live', 1, NOW + 1, START);
  const longAgo = NOW - EXPIRED_ANSWER_SECONDS;
  await storage.mfaTokens.insert(anMfaToken({ token_hash: 'old', expires_at: longAgo }));
  await storage.mfaTokens.insert(anMfaToken({ token_hash: 'recent', expires_at: longAgo + 1 }));
  await storage.oobChallenges.insert(anOobChallenge({ oob_code_hash: 'old', expires_at: longAgo }));
  await storage.oobChallenges.insert(
    anOobChallenge({ oob_code_hash: 'recent', expires_at: longAgo + 1 }),
  );
}

describe('maintenance purge', () => {
  let storage: Storage;
  before(async () => {
    storage = await openSqliteStorage({ path: ':memory:' });
    await seed(storage);
  });
  after(() => storage.close());

  it('deletes exactly the expired row of each store', async () => {
    const counts = await purgeExpired(storage, new TestClock(NOW * 1000));
    assert.deepEqual(counts, {
      gates: 1,
      buckets: 1,
      tickets: 1,
      events: 1,
      accessTokens: 1,
      refreshTokens: 1,
      replay: 1,
      dpopProofs: 1,
      counters: 1,
      mfaTokens: 1,
      oobChallenges: 1,
    });
    assert.deepEqual(await purgeExpired(storage, new TestClock(NOW * 1000)), {
      gates: 0,
      buckets: 0,
      tickets: 0,
      events: 0,
      accessTokens: 0,
      refreshTokens: 0,
      replay: 0,
      dpopProofs: 0,
      counters: 0,
      mfaTokens: 0,
      oobChallenges: 0,
    });
  });

  it('keeps the live rows', async () => {
    assert.equal((await storage.loginGates.get('old')) === null, true);
    assert.notEqual(await storage.loginGates.get('live'), null);
    assert.equal(
      (await storage.rateBuckets.take('draining', 1, 3_600_000, NOW * 1000)).allowed,
      false,
    );
    assert.equal((await storage.unblockTickets.consume('live', NOW))?.ticket_hash, 'live');
    assert.deepEqual(
      (await storage.logEvents.list()).map((e) => e.log_id),
      ['live'],
    );
    assert.notEqual(await storage.accessTokens.get('live', NOW), null);
    assert.notEqual(await storage.refreshTokens.get('live'), null);
    assert.equal(await storage.refreshTokens.get('old'), null);
    assert.equal(await storage.replay.claim('live', NOW + 5, NOW), false);
    assert.equal(await storage.dpopProofs.claim('jkt', 'live', NOW + 5, NOW), false);
    assert.equal(await storage.counters.get('live', NOW), 1);
    assert.equal(await storage.mfaTokens.get('old'), null);
    assert.notEqual(await storage.mfaTokens.get('recent'), null, 'still answers "expired"');
    assert.equal(await storage.oobChallenges.get('old'), null);
    assert.notEqual(await storage.oobChallenges.get('recent'), null);
  });
});

/**
 * @module storage/contract/login-gates.contract
 *
 * Contract tests for login gates: reservations never pass the limit, even concurrently;
 * settling counts or clears failures; old failures and expired leases no longer count; past
 * the limit an overflow gate admits one attempt at a time after its lock; a password change
 * deletes the user's gates.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GateRule } from '../storage.js';
import { aGateRule, aUser } from './fixtures.js';
import { concurrently, type OpenStorage, useFreshStorage } from './harness.js';

const NOW = 1_000_000;

function rule(overrides: Partial<GateRule> = {}): GateRule {
  return aGateRule(NOW, overrides);
}

/** Contract tests for the login-gate store. */
export function describeLoginGatesContract(open: OpenStorage): void {
  describe('login gates', () => {
    const storage = useFreshStorage(open);

    it('admits exactly `limit` of 30 concurrent reservations', async () => {
      const admitted = await concurrently(30, () =>
        storage().loginGates.reserve('g', rule({ limit: 7 }), NOW),
      );
      assert.equal(admitted.filter(Boolean).length, 7);
      assert.equal((await storage().loginGates.get('g'))?.in_flight, 7);
    });

    it('counts failures, refuses at the limit, and a success clears them', async () => {
      const gates = storage().loginGates;
      for (let i = 1; i <= 3; i++) {
        assert.equal(await gates.reserve('g', rule(), NOW), true);
        const gate = await gates.settle('g', 'failure', NOW + i);
        assert.deepEqual([gate?.failures, gate?.in_flight, gate?.last_failure_at], [i, 0, NOW + i]);
      }
      assert.equal(await gates.reserve('g', rule(), NOW + 5), false);
      await gates.clear('g');
      assert.equal(await gates.reserve('g', rule(), NOW + 5), true);
      await gates.settle('g', 'failure', NOW + 5);
      assert.equal(await gates.reserve('g', rule(), NOW + 5), true);
      const cleared = await gates.settle('g', 'success', NOW + 6);
      assert.deepEqual([cleared?.failures, cleared?.last_failure_at], [0, null]);
    });

    it('frees the slot of an abandoned attempt, and of one whose lease ran out', async () => {
      const gates = storage().loginGates;
      assert.equal(await gates.reserve('g', rule({ limit: 1 }), NOW), true);
      assert.equal(await gates.reserve('g', rule({ limit: 1 }), NOW), false);
      await gates.settle('g', 'abandoned', NOW);
      assert.equal(await gates.reserve('g', rule({ limit: 1 }), NOW), true);
      assert.equal(await gates.reserve('g', rule({ limit: 1 }), NOW + 59), false);
      assert.equal(
        await gates.reserve('g', rule({ limit: 1, leaseUntil: NOW + 120 }), NOW + 60),
        true,
      );
    });

    it('forgets failures at or before forgetBefore', async () => {
      const gates = storage().loginGates;
      assert.equal(await gates.reserve('g', rule({ limit: 1 }), NOW), true);
      await gates.settle('g', 'failure', NOW);
      assert.equal(await gates.reserve('g', rule({ limit: 1, forgetBefore: NOW - 1 }), NOW), false);
      assert.equal(await gates.reserve('g', rule({ limit: 1, forgetBefore: NOW }), NOW), true);
      assert.equal((await gates.get('g'))?.failures, 0);
    });

    it('past the limit, an overflow gate admits one attempt at a time once unlocked', async () => {
      const gates = storage().loginGates;
      const account = rule({ kind: 'account', ip: null, limit: 1, overflow: true });
      assert.equal(await gates.reserve('a', account, NOW), true);
      await gates.settle('a', 'failure', NOW);
      await gates.lockUntil('a', NOW + 10);
      assert.equal(await gates.reserve('a', account, NOW + 9), false);
      assert.equal(await gates.reserve('a', account, NOW + 10), true);
      assert.equal(await gates.reserve('a', account, NOW + 10), false);
    });

    it('clears a user’s gates, all or one IP', async () => {
      const gates = storage().loginGates;
      await gates.reserve('p1', rule({ ip: '203.0.113.1' }), NOW);
      await gates.reserve('p2', rule({ ip: '203.0.113.2' }), NOW);
      await gates.reserve('other', rule({ user_id: 'auth0|bob' }), NOW);
      assert.equal(await gates.clearUser('auth0|ada', '203.0.113.2'), 1);
      assert.equal(await gates.get('p2'), null);
      assert.equal(await gates.clearUser('auth0|ada'), 1);
      assert.notEqual(await gates.get('other'), null);
    });

    it('deletes a user’s gates when the password hash changes, not on other writes', async () => {
      const { users, loginGates } = storage();
      await users.upsert(aUser());
      await loginGates.reserve('p1', rule(), NOW);
      await users.upsert(aUser({ name: 'Ada L.' }));
      assert.notEqual(await loginGates.get('p1'), null);
      await users.upsert(
        aUser({ password_hash: '$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3' }),
      );
      assert.equal(await loginGates.get('p1'), null);
    });

    it('purges gates with no recent failure and no live lease', async () => {
      const gates = storage().loginGates;
      await gates.reserve('old', rule({ leaseUntil: NOW + 1 }), NOW);
      await gates.settle('old', 'failure', NOW);
      await gates.reserve('live', rule({ leaseUntil: NOW + 100 }), NOW);
      assert.equal(await gates.purgeExpired(NOW, NOW + 2), 1);
      assert.equal(await gates.get('old'), null);
      assert.notEqual(await gates.get('live'), null);
    });
  });
}

/**
 * @module storage/contract/refresh-tokens.contract
 *
 * Contract tests for the refresh-token store: round trips, rotation as an atomic
 * compare-and-set that stores the successor only for the winner, the one-time leeway claim,
 * and idle renewal. Revocation and the purge are in `refresh-token-cleanup.contract`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RefreshToken } from '../models.js';
import { UniqueViolation } from '../storage.js';
import { aRefreshToken } from './fixtures.js';
import { concurrently, type OpenStorage, useFreshStorage } from './harness.js';
import { describeRefreshTokenCleanupContract } from './refresh-token-cleanup.contract.js';

const AT = 2000;

/** The token that replaces `aRefreshToken()` in a rotation. */
function successorOf(hash: string, overrides: Partial<RefreshToken> = {}): RefreshToken {
  return aRefreshToken({ token_hash: hash, created_at: AT, ...overrides });
}

/** `aRefreshToken()` as it reads back after being rotated to `successorHash` at {@link AT}. */
function rotatedTo(successorHash: string): RefreshToken {
  return aRefreshToken({ status: 'rotated', rotated_at: AT, successor_hash: successorHash });
}

function describeInsertAndGet(open: OpenStorage): void {
  describe('refresh tokens: insert and get', () => {
    const storage = useFreshStorage(open);

    it('round-trips every field, nulls included, and returns null for an unknown hash', async () => {
      const token = aRefreshToken();
      const bare = aRefreshToken({
        token_hash: 'rt-bare',
        audience: null,
        expires_at: null,
        idle_expires_at: null,
      });
      const spent = rotatedTo('rt-next');
      await storage().refreshTokens.insert(token);
      await storage().refreshTokens.insert(bare);
      await storage().refreshTokens.insert({ ...spent, token_hash: 'rt-0', leeway_used: true });
      assert.deepEqual(await storage().refreshTokens.get(token.token_hash), token);
      assert.deepEqual(await storage().refreshTokens.get(bare.token_hash), bare);
      const old = await storage().refreshTokens.get('rt-0');
      assert.deepEqual(old, { ...spent, token_hash: 'rt-0', leeway_used: true });
      assert.equal(await storage().refreshTokens.get('unknown'), null);
    });

    it('rejects a second token with the same hash', async () => {
      await storage().refreshTokens.insert(aRefreshToken());
      await assert.rejects(
        storage().refreshTokens.insert(aRefreshToken({ family_id: 'fam-2' })),
        (error) => error instanceof UniqueViolation && error.field === 'token_hash',
      );
      assert.deepEqual(await storage().refreshTokens.get('rt-1'), aRefreshToken());
    });
  });
}

function describeRotate(open: OpenStorage): void {
  describe('refresh tokens: rotate', () => {
    const storage = useFreshStorage(open);

    it('marks an active token rotated and stores its successor', async () => {
      await storage().refreshTokens.insert(aRefreshToken());
      const next = successorOf('rt-2');
      assert.equal(await storage().refreshTokens.rotate('rt-1', next, AT), true);
      assert.deepEqual(await storage().refreshTokens.get('rt-1'), rotatedTo('rt-2'));
      assert.deepEqual(await storage().refreshTokens.get('rt-2'), next);
    });

    it('refuses a rotated, revoked or unknown token and stores no successor', async () => {
      const { refreshTokens } = storage();
      await refreshTokens.insert(aRefreshToken());
      await refreshTokens.insert(aRefreshToken({ token_hash: 'rt-r', status: 'revoked' }));
      assert.equal(await refreshTokens.rotate('rt-1', successorOf('rt-2'), AT), true);
      assert.equal(await refreshTokens.rotate('rt-1', successorOf('rt-3'), AT + 1), false);
      assert.equal(await refreshTokens.rotate('rt-r', successorOf('rt-4'), AT), false);
      assert.equal(await refreshTokens.rotate('nope', successorOf('rt-5'), AT), false);
      for (const hash of ['rt-3', 'rt-4', 'rt-5']) {
        assert.equal(await refreshTokens.get(hash), null, `${hash} was not stored`);
      }
      assert.deepEqual(await refreshTokens.get('rt-1'), rotatedTo('rt-2'), 'first rotation kept');
      assert.equal((await refreshTokens.get('rt-r'))?.status, 'revoked');
    });
  });
}

function describeConcurrentRotate(open: OpenStorage): void {
  describe('refresh tokens: concurrent rotate', () => {
    const storage = useFreshStorage(open);

    it('lets exactly one of 50 concurrent rotations win and stores only its successor', async () => {
      await storage().refreshTokens.insert(aRefreshToken());
      const results = await concurrently(50, (i) =>
        storage().refreshTokens.rotate('rt-1', successorOf(`rt-next-${i}`), AT),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = `rt-next-${results.indexOf(true)}`;
      assert.deepEqual(await storage().refreshTokens.get('rt-1'), rotatedTo(winner));
      for (const [i, won] of results.entries()) {
        const stored = await storage().refreshTokens.get(`rt-next-${i}`);
        assert.deepEqual(stored, won ? successorOf(winner) : null);
      }
    });
  });
}

function describeRotateInTransaction(open: OpenStorage): void {
  describe('refresh tokens: rotate inside a transaction', () => {
    const storage = useFreshStorage(open);

    it('commits with the transaction', async () => {
      await storage().refreshTokens.insert(aRefreshToken());
      const rotated = await storage().transaction((tx) =>
        tx.refreshTokens.rotate('rt-1', successorOf('rt-2'), AT),
      );
      assert.equal(rotated, true);
      assert.deepEqual(await storage().refreshTokens.get('rt-1'), rotatedTo('rt-2'));
      assert.deepEqual(await storage().refreshTokens.get('rt-2'), successorOf('rt-2'));
    });

    it('rolls back with the transaction', async () => {
      await storage().refreshTokens.insert(aRefreshToken());
      const boom = new Error('boom');
      const failing = storage().transaction(async (tx) => {
        assert.equal(await tx.refreshTokens.rotate('rt-1', successorOf('rt-2'), AT), true);
        throw boom;
      });
      await assert.rejects(failing, (error) => error === boom);
      assert.deepEqual(await storage().refreshTokens.get('rt-1'), aRefreshToken());
      assert.equal(await storage().refreshTokens.get('rt-2'), null);
    });
  });
}

function describeLeewayAndTouch(open: OpenStorage): void {
  describe('refresh tokens: claimLeeway and touch', () => {
    const storage = useFreshStorage(open);

    it('claims the leeway of a rotated token once, never of another', async () => {
      const { refreshTokens } = storage();
      await refreshTokens.insert(aRefreshToken());
      await refreshTokens.insert(aRefreshToken({ token_hash: 'rt-r', status: 'revoked' }));
      assert.equal(await refreshTokens.claimLeeway('rt-1'), false, 'active');
      assert.equal(await refreshTokens.claimLeeway('rt-r'), false, 'revoked');
      assert.equal(await refreshTokens.claimLeeway('nope'), false, 'unknown');
      await refreshTokens.rotate('rt-1', successorOf('rt-2'), AT);
      assert.equal(await refreshTokens.claimLeeway('rt-1'), true);
      assert.equal(await refreshTokens.claimLeeway('rt-1'), false);
      const spent = await refreshTokens.get('rt-1');
      assert.deepEqual(spent, { ...rotatedTo('rt-2'), leeway_used: true });
    });

    it('lets exactly one of 50 concurrent leeway claims win', async () => {
      await storage().refreshTokens.insert(rotatedTo('rt-2'));
      const results = await concurrently(50, () => storage().refreshTokens.claimLeeway('rt-1'));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('touch sets the idle expiry of an active token only', async () => {
      const { refreshTokens } = storage();
      await refreshTokens.insert(aRefreshToken());
      await refreshTokens.insert(aRefreshToken({ token_hash: 'rt-r', status: 'revoked' }));
      await refreshTokens.touch('rt-1', 7000);
      await refreshTokens.touch('rt-r', 7000);
      await refreshTokens.touch('nope', 7000);
      assert.deepEqual(await refreshTokens.get('rt-1'), aRefreshToken({ idle_expires_at: 7000 }));
      assert.equal((await refreshTokens.get('rt-r'))?.idle_expires_at, 5000);
      assert.equal(await refreshTokens.get('nope'), null);
    });
  });
}

/** Contract tests for the refresh-token store. */
export function describeRefreshTokensContract(open: OpenStorage): void {
  describeInsertAndGet(open);
  describeRotate(open);
  describeConcurrentRotate(open);
  describeRotateInTransaction(open);
  describeLeewayAndTouch(open);
  describeRefreshTokenCleanupContract(open);
}

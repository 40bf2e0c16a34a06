/**
 * @module storage/contract/refresh-token-cleanup.contract
 *
 * Contract tests for ending refresh tokens: revocation by family and by user (counting only
 * tokens not revoked before), and the purge of expired tokens (a null expiry never expires).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RefreshTokenStore } from '../storage.js';
import { aRefreshToken } from './fixtures.js';
import { type OpenStorage, sortedBy, useFreshStorage } from './harness.js';

/** Tokens of family `fam-1` in every status, one of `fam-2` and one of another user. */
async function seed(refreshTokens: RefreshTokenStore): Promise<void> {
  await refreshTokens.insert(aRefreshToken({ token_hash: 'a1', status: 'rotated' }));
  await refreshTokens.insert(aRefreshToken({ token_hash: 'a2' }));
  await refreshTokens.insert(aRefreshToken({ token_hash: 'a3', status: 'revoked' }));
  await refreshTokens.insert(aRefreshToken({ token_hash: 'b1', family_id: 'fam-2' }));
  const bob = { family_id: 'fam-3', user_id: 'auth0|bob', client_id: 'client-b' };
  await refreshTokens.insert(aRefreshToken({ token_hash: 'c1', ...bob }));
}

/** `hash:status` of each seeded token. */
async function statuses(refreshTokens: RefreshTokenStore): Promise<string[]> {
  const statusOf = async (hash: string) => `${hash}:${(await refreshTokens.get(hash))?.status}`;
  return sortedBy(await Promise.all(['a1', 'a2', 'a3', 'b1', 'c1'].map(statusOf)), (s) => s);
}

function describeRevoke(open: OpenStorage): void {
  describe('refresh tokens: revoke', () => {
    const storage = useFreshStorage(open);

    it('revokeFamily revokes that family only and counts what it changed', async () => {
      const { refreshTokens } = storage();
      await seed(refreshTokens);
      assert.equal(await refreshTokens.revokeFamily('fam-1'), 2);
      const expected = ['a1:revoked', 'a2:revoked', 'a3:revoked', 'b1:active', 'c1:active'];
      assert.deepEqual(await statuses(refreshTokens), expected);
      assert.equal(await refreshTokens.revokeFamily('fam-1'), 0);
      assert.equal(await refreshTokens.revokeFamily('none'), 0);
      const a1 = await refreshTokens.get('a1');
      assert.deepEqual(a1, aRefreshToken({ token_hash: 'a1', status: 'revoked' }));
    });

    it('revokeByUser revokes the user’s tokens of every family and client', async () => {
      const { refreshTokens } = storage();
      await seed(refreshTokens);
      const other = { token_hash: 'a4', family_id: 'fam-4', client_id: 'client-c' };
      await refreshTokens.insert(aRefreshToken(other));
      assert.equal(await refreshTokens.revokeByUser('auth0|ada'), 4);
      const expected = ['a1:revoked', 'a2:revoked', 'a3:revoked', 'b1:revoked', 'c1:active'];
      assert.deepEqual(await statuses(refreshTokens), expected);
      assert.equal((await refreshTokens.get('a4'))?.status, 'revoked');
      assert.equal(await refreshTokens.revokeByUser('auth0|ada'), 0);
    });
  });
}

function describePurge(open: OpenStorage): void {
  describe('refresh tokens: purgeExpired', () => {
    const storage = useFreshStorage(open);

    it('deletes tokens whose absolute or idle expiry is before now; null never expires', async () => {
      const { refreshTokens } = storage();
      const token = (hash: string, expires: number | null, idle: number | null) =>
        aRefreshToken({ token_hash: hash, expires_at: expires, idle_expires_at: idle });
      const kept = [
        token('never', null, null),
        token('edge', 3000, 3000),
        token('live', 9000, null),
        token('idle-live', null, 4000),
      ];
      const gone = [token('old', 2999, null), token('idle', null, 1), token('both', 100, 9000)];
      for (const t of [...kept, ...gone]) await refreshTokens.insert(t);
      assert.equal(await refreshTokens.purgeExpired(3000), gone.length);
      assert.equal(await refreshTokens.purgeExpired(3000), 0);
      for (const t of kept) assert.deepEqual(await refreshTokens.get(t.token_hash), t);
      for (const t of gone) assert.equal(await refreshTokens.get(t.token_hash), null);
    });
  });
}

/** Contract tests for revoking and purging refresh tokens. */
export function describeRefreshTokenCleanupContract(open: OpenStorage): void {
  describeRevoke(open);
  describePurge(open);
}

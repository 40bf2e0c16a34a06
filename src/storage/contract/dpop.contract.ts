/**
 * @module storage/contract/dpop.contract
 *
 * Contract tests for DPoP state: used proof identifiers (single use per key inside their
 * window, atomically) and the DPoP fields of clients, APIs and tokens.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aClient, anAccessToken, aRefreshToken, aResourceServer } from './fixtures.js';
import { concurrently, type OpenStorage, useFreshStorage } from './harness.js';

const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

function describeProofs(open: OpenStorage): void {
  describe('DPoP proofs', () => {
    const storage = useFreshStorage(open);

    it('claims a jti of a key once until it expires, then again', async () => {
      const { dpopProofs } = storage();
      assert.equal(await dpopProofs.claim(JKT, 'jti-1', 200, 100), true);
      assert.equal(await dpopProofs.claim(JKT, 'jti-1', 300, 199), false);
      assert.equal(await dpopProofs.claim(JKT, 'jti-2', 300, 199), true);
      assert.equal(await dpopProofs.claim('other-key', 'jti-1', 300, 199), true, 'per key');
      assert.equal(await dpopProofs.claim(JKT, 'jti-1', 400, 200), true, 'expired at 200');
      assert.equal(await dpopProofs.claim(JKT, 'jti-1', 500, 399), false);
    });

    it('lets exactly one of 100 concurrent claims of one proof win', async () => {
      const results = await concurrently(100, () => storage().dpopProofs.claim(JKT, 'j', 200, 100));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('purges only expired claims, counting them', async () => {
      const { dpopProofs } = storage();
      await dpopProofs.claim(JKT, 'old', 100, 0);
      await dpopProofs.claim(JKT, 'live', 300, 0);
      assert.equal(await dpopProofs.purgeExpired(100), 1);
      assert.equal(await dpopProofs.claim(JKT, 'live', 400, 100), false);
      assert.equal(await dpopProofs.purgeExpired(100), 0);
    });

    it('is not the generic replay store', async () => {
      assert.equal(await storage().dpopProofs.claim(JKT, 'shared', 200, 100), true);
      assert.equal(await storage().replay.claim('shared', 200, 100), true);
    });
  });
}

function describeBindings(open: OpenStorage): void {
  describe('DPoP policy and bindings', () => {
    const storage = useFreshStorage(open);

    it('round-trips a client that requires proof of possession', async () => {
      const client = aClient({ require_proof_of_possession: true });
      await storage().clients.upsert(client);
      assert.deepEqual(await storage().clients.get(client.client_id), client);
    });

    it("round-trips an API's proof_of_possession, and its removal", async () => {
      const policy = { mechanism: 'dpop', required: true, required_for: 'public_clients' } as const;
      const api = aResourceServer({ proof_of_possession: policy });
      await storage().resourceServers.upsert(api);
      assert.deepEqual(await storage().resourceServers.getByIdentifier(api.identifier), api);
      await storage().resourceServers.upsert({ ...api, proof_of_possession: null });
      const stored = await storage().resourceServers.getByIdentifier(api.identifier);
      assert.equal(stored?.proof_of_possession, null);
    });

    it('keeps the key of a bound refresh token through rotation', async () => {
      const { refreshTokens } = storage();
      await refreshTokens.insert(aRefreshToken({ dpop_jkt: JKT }));
      assert.equal((await refreshTokens.get('rt-1'))?.dpop_jkt, JKT);
      const successor = aRefreshToken({ token_hash: 'rt-2', dpop_jkt: JKT });
      assert.equal(await refreshTokens.rotate('rt-1', successor, 1500), true);
      assert.equal((await refreshTokens.get('rt-2'))?.dpop_jkt, JKT);
    });

    it('round-trips the key of a bound opaque access token', async () => {
      const token = anAccessToken({ dpop_jkt: JKT });
      await storage().accessTokens.put(token);
      assert.deepEqual(await storage().accessTokens.get(token.token_hash, 1000), token);
    });
  });
}

/** Registers the DPoP contract tests. */
export function describeDpopContract(open: OpenStorage): void {
  describeProofs(open);
  describeBindings(open);
}

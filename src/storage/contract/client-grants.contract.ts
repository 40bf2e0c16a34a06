/**
 * @module storage/contract/client-grants.contract
 *
 * Contract tests for client grants: lookups by (client_id, audience), upsert on that pair
 * keeping the stored `id`, and deletion by `id`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UniqueViolation } from '../storage.js';
import { aClientGrant } from './fixtures.js';
import { type OpenStorage, sortedBy, useFreshStorage } from './harness.js';

const API = 'https://api.example.com/';
const OTHER_API = 'urn:other';

const byId = (grant: { id: string }) => grant.id;

function describeLookups(open: OpenStorage): void {
  describe('client grants: lookups', () => {
    const storage = useFreshStorage(open);

    it('finds a grant by client and audience, and lists all of them', async () => {
      const grant = aClientGrant();
      const otherApi = aClientGrant({ id: 'cgr_2', audience: OTHER_API, scope: [] });
      const otherClient = aClientGrant({ id: 'cgr_3', client_id: 'client-b' });
      assert.equal(await storage().clientGrants.find('client-a', API), null);
      assert.deepEqual(await storage().clientGrants.list(), []);
      for (const g of [grant, otherApi, otherClient]) await storage().clientGrants.upsert(g);
      assert.deepEqual(await storage().clientGrants.find('client-a', API), grant);
      assert.deepEqual(await storage().clientGrants.find('client-a', OTHER_API), otherApi);
      assert.deepEqual(await storage().clientGrants.find('client-b', API), otherClient);
      assert.equal(await storage().clientGrants.find('client-b', OTHER_API), null);
      assert.deepEqual(
        sortedBy(await storage().clientGrants.list(), byId),
        sortedBy([grant, otherApi, otherClient], byId),
      );
    });
  });
}

function describeWrites(open: OpenStorage): void {
  describe('client grants: writes', () => {
    const storage = useFreshStorage(open);

    it('upsert replaces the grant with the same client and audience but keeps its id', async () => {
      await storage().clientGrants.upsert(aClientGrant());
      const replacement = aClientGrant({ id: 'cgr_new', scope: ['read:things', 'write:things'] });
      await storage().clientGrants.upsert(replacement);
      const stored = await storage().clientGrants.find('client-a', API);
      assert.deepEqual(stored, { ...replacement, id: 'cgr_1' });
      assert.deepEqual(await storage().clientGrants.list(), [stored]);
    });

    it('rejects a grant for another pair with an id already in use', async () => {
      await storage().clientGrants.upsert(aClientGrant());
      await assert.rejects(
        storage().clientGrants.upsert(aClientGrant({ audience: OTHER_API })),
        (error) => error instanceof UniqueViolation && error.field === 'id',
      );
      assert.equal(await storage().clientGrants.find('client-a', OTHER_API), null);
    });

    it('delete removes the grant by id once', async () => {
      await storage().clientGrants.upsert(aClientGrant());
      await storage().clientGrants.upsert(aClientGrant({ id: 'cgr_2', audience: OTHER_API }));
      assert.equal(await storage().clientGrants.delete('cgr_1'), true);
      assert.equal(await storage().clientGrants.find('client-a', API), null);
      assert.equal(await storage().clientGrants.delete('cgr_1'), false);
      assert.equal((await storage().clientGrants.list()).length, 1);
    });
  });
}

/** Contract tests for the client-grant store. */
export function describeClientGrantsContract(open: OpenStorage): void {
  describeLookups(open);
  describeWrites(open);
}

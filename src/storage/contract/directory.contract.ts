/**
 * @module storage/contract/directory.contract
 *
 * Contract tests for the configuration stores: tenant settings, clients, connections and
 * resource servers (APIs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REFRESH_TOKEN_POLICY, type TenantSettings } from '../models.js';
import { UniqueViolation } from '../storage.js';
import { aClient, aConnection, aPrivateKeyJwtClient, aResourceServer } from './fixtures.js';
import { type OpenStorage, sortedBy, useFreshStorage } from './harness.js';

function describeTenantSettings(open: OpenStorage): void {
  describe('tenant settings', () => {
    const storage = useFreshStorage(open);

    it('returns the defaults before anything was written', async () => {
      assert.deepEqual(await storage().tenant.get(), {
        default_directory: null,
        default_audience: null,
        friendly_name: 'Latchkey',
        resource_parameter_profile: 'audience',
      });
    });

    it('returns what was put, and a second put replaces it', async () => {
      const first: TenantSettings = {
        default_directory: 'Username-Password-Authentication',
        default_audience: 'https://api.example.com/',
        friendly_name: 'Acme',
        resource_parameter_profile: 'compatibility',
      };
      await storage().tenant.put(first);
      assert.deepEqual(await storage().tenant.get(), first);
      const second: TenantSettings = {
        ...first,
        default_audience: null,
        resource_parameter_profile: 'audience',
      };
      await storage().tenant.put(second);
      assert.deepEqual(await storage().tenant.get(), second);
    });
  });
}

function describeClients(open: OpenStorage): void {
  describe('clients', () => {
    const storage = useFreshStorage(open);

    it('returns null for an unknown client and an empty list', async () => {
      assert.equal(await storage().clients.get('nobody'), null);
      assert.deepEqual(await storage().clients.list(), []);
    });

    it('round-trips every field, nested credentials included', async () => {
      const secret = aClient();
      const jwt = aPrivateKeyJwtClient();
      await storage().clients.upsert(secret);
      await storage().clients.upsert(jwt);
      assert.deepEqual(await storage().clients.get(secret.client_id), secret);
      assert.deepEqual(await storage().clients.get(jwt.client_id), jwt);
      const listed = sortedBy(await storage().clients.list(), (c) => c.client_id);
      assert.deepEqual(
        listed,
        sortedBy([secret, jwt], (c) => c.client_id),
      );
    });

    it('upsert replaces the client with the same client_id', async () => {
      await storage().clients.upsert(aClient());
      const replaced = aClient({ name: 'Renamed', grant_types: [], client_secret_hash: null });
      await storage().clients.upsert(replaced);
      assert.deepEqual(await storage().clients.get('client-a'), replaced);
      assert.equal((await storage().clients.list()).length, 1);
    });

    it('delete removes the client once', async () => {
      await storage().clients.upsert(aClient());
      assert.equal(await storage().clients.delete('client-a'), true);
      assert.equal(await storage().clients.get('client-a'), null);
      assert.equal(await storage().clients.delete('client-a'), false);
    });
  });
}

function describeClientRefreshSettings(open: OpenStorage): void {
  describe('clients: refresh-token policy and origins', () => {
    const storage = useFreshStorage(open);

    it('round-trips the policy and both origin lists, and upsert replaces them', async () => {
      const spa = aClient({
        client_id: 'client-spa',
        app_type: 'spa',
        refresh_token: {
          rotation_type: 'rotating',
          expiration_type: 'expiring',
          leeway: 3,
          token_lifetime: 86_400,
          infinite_token_lifetime: false,
          idle_token_lifetime: 3_600,
          infinite_idle_token_lifetime: true,
        },
        allowed_origins: ['https://app.example.com', 'http://localhost:3000'],
        web_origins: ['https://app.example.com'],
      });
      await storage().clients.upsert(spa);
      assert.deepEqual(await storage().clients.get(spa.client_id), spa);
      const reset = aClient({ client_id: spa.client_id, allowed_origins: [], web_origins: [] });
      await storage().clients.upsert(reset);
      assert.deepEqual(await storage().clients.get(spa.client_id), reset);
      assert.deepEqual(reset.refresh_token, DEFAULT_REFRESH_TOKEN_POLICY);
    });
  });
}

function describeConnections(open: OpenStorage): void {
  describe('connections', () => {
    const storage = useFreshStorage(open);

    it('round-trips a connection and lists all of them', async () => {
      const main = aConnection();
      const other = aConnection({ id: 'con_2', name: 'partners', enabled_clients: [] });
      assert.equal(await storage().connections.getByName(main.name), null);
      await storage().connections.upsert(main);
      await storage().connections.upsert(other);
      assert.deepEqual(await storage().connections.getByName(main.name), main);
      const listed = sortedBy(await storage().connections.list(), (c) => c.name);
      assert.deepEqual(
        listed,
        sortedBy([main, other], (c) => c.name),
      );
    });

    it('upsert replaces the connection with the same name but keeps its id', async () => {
      await storage().connections.upsert(aConnection());
      const replacement = aConnection({
        id: 'con_new',
        enabled_clients: ['client-a', 'client-b'],
        options: { requires_username: true },
      });
      await storage().connections.upsert(replacement);
      const stored = await storage().connections.getByName(replacement.name);
      assert.deepEqual(stored, { ...replacement, id: 'con_1' });
      assert.equal((await storage().connections.list()).length, 1);
    });

    it('rejects a second connection with an id already in use', async () => {
      await storage().connections.upsert(aConnection());
      await assert.rejects(
        storage().connections.upsert(aConnection({ name: 'other' })),
        (error) => error instanceof UniqueViolation && error.field === 'id',
      );
    });

    it('delete removes the connection once', async () => {
      await storage().connections.upsert(aConnection());
      assert.equal(await storage().connections.delete(aConnection().name), true);
      assert.equal(await storage().connections.getByName(aConnection().name), null);
      assert.equal(await storage().connections.delete(aConnection().name), false);
    });
  });
}

function describeResourceServers(open: OpenStorage): void {
  describe('resource servers', () => {
    const storage = useFreshStorage(open);

    it('round-trips an API and lists all of them', async () => {
      const api = aResourceServer();
      const other = aResourceServer({ id: 'rs_2', identifier: 'urn:other', scopes: [] });
      assert.equal(await storage().resourceServers.getByIdentifier(api.identifier), null);
      await storage().resourceServers.upsert(api);
      await storage().resourceServers.upsert(other);
      assert.deepEqual(await storage().resourceServers.getByIdentifier(api.identifier), api);
      const listed = sortedBy(await storage().resourceServers.list(), (r) => r.identifier);
      assert.deepEqual(
        listed,
        sortedBy([api, other], (r) => r.identifier),
      );
    });

    it('upsert replaces the API with the same identifier but keeps its id', async () => {
      await storage().resourceServers.upsert(aResourceServer());
      const replacement = aResourceServer({
        id: 'rs_new',
        name: 'Renamed',
        token_lifetime: 600,
        allow_offline_access: true,
        signing_alg: 'PS256',
        token_dialect: 'rfc9068_profile',
      });
      await storage().resourceServers.upsert(replacement);
      const stored = await storage().resourceServers.getByIdentifier(replacement.identifier);
      assert.deepEqual(stored, { ...replacement, id: 'rs_1' });
    });

    it('delete removes the API once', async () => {
      const { identifier } = aResourceServer();
      await storage().resourceServers.upsert(aResourceServer());
      assert.equal(await storage().resourceServers.delete(identifier), true);
      assert.equal(await storage().resourceServers.getByIdentifier(identifier), null);
      assert.equal(await storage().resourceServers.delete(identifier), false);
    });
  });
}

/** Contract tests for tenant settings, clients, connections and resource servers. */
export function describeDirectoryContract(open: OpenStorage): void {
  describeTenantSettings(open);
  describeClients(open);
  describeClientRefreshSettings(open);
  describeConnections(open);
  describeResourceServers(open);
}

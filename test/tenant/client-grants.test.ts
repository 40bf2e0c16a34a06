/**
 * @module test/tenant/client-grants
 *
 * Importing `client_grants`: clients, APIs and scopes resolved against the file and storage
 * before any write, upsert by (client_id, audience) keeping the `cgr_` id.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { DEFAULT_REFRESH_TOKEN_POLICY } from '../../src/storage/models.js';
import type { Storage } from '../../src/storage/storage.js';
import { importTenant } from '../../src/tenant/import-tenant.js';
import { loadTenantFile } from '../../src/tenant/load-tenant-file.js';
import { freshStorage, hasher, snapshot, tenantRejectionOf, yamlTenant } from './support.js';

const EXAMPLE = new URL('../../examples/tenant.yaml', import.meta.url).pathname;

let storage: Storage;
beforeEach(async () => {
  storage = await freshStorage();
});
afterEach(async () => {
  await storage.close();
});

const base = `
clients: [{ client_id: svc, name: Service, client_secret: s, grant_types: [client_credentials] }]
resource_servers: [{ identifier: https://api, name: API, scopes: [{ value: read }, { value: write }] }]
`;

async function rejectsWithoutWriting(yaml: string, message: string): Promise<void> {
  const before = await snapshot(storage);
  assert.equal(await tenantRejectionOf(importTenant(storage, yamlTenant(yaml), hasher)), message);
  assert.deepEqual(await snapshot(storage), before);
}

describe('client grant references', () => {
  test('the client must be in the file or in storage', async () => {
    await rejectsWithoutWriting(
      `${base}client_grants: [{ client_id: ghost, audience: https://api, scope: [read] }]`,
      'client_grants[0].client_id: client "ghost" is not in the file or in storage',
    );
  });

  test('the audience must be an API in the file or in storage', async () => {
    await rejectsWithoutWriting(
      `${base}client_grants: [{ client_id: svc, audience: https://nope, scope: [] }]`,
      'client_grants[0].audience: API "https://nope" is not in the file or in storage',
    );
  });

  test('every scope must be a scope of that API', async () => {
    await rejectsWithoutWriting(
      `${base}client_grants: [{ client_id: svc, audience: https://api, scope: [read, admin] }]`,
      'client_grants[0].scope[1]: scope "admin" is not a scope of API "https://api"',
    );
  });

  test('stored clients and APIs count; the file redefining an API wins', async () => {
    await importTenant(storage, yamlTenant(base), hasher);
    const summary = await importTenant(
      storage,
      yamlTenant('client_grants: [{ client_id: svc, audience: https://api, scope: [write] }]'),
      hasher,
    );
    assert.deepEqual(summary.client_grants, { created: 1, updated: 0 });
    await rejectsWithoutWriting(
      `resource_servers: [{ identifier: https://api, name: API, scopes: [{ value: read }] }]
client_grants: [{ client_id: svc, audience: https://api, scope: [write] }]`,
      'client_grants[0].scope[0]: scope "write" is not a scope of API "https://api"',
    );
  });
});

describe('the example tenant', () => {
  test('refresh-token policy, origins, the service client and its grant', async () => {
    await importTenant(storage, await loadTenantFile(EXAMPLE, {}), hasher);
    const cli = await storage.clients.get('example-cli');
    assert.equal(cli?.client_secret_hash, null);
    assert.deepEqual(cli?.refresh_token, {
      ...DEFAULT_REFRESH_TOKEN_POLICY,
      rotation_type: 'rotating',
      expiration_type: 'expiring',
      leeway: 0,
    });
    assert.deepEqual(cli?.allowed_origins, ['http://localhost:8080']);
    assert.deepEqual(cli?.web_origins, ['http://localhost:8080']);
    const service = await storage.clients.get('example-service');
    assert.equal(service?.app_type, 'non_interactive');
    assert.deepEqual(service?.grant_types, ['client_credentials']);
    assert.equal(
      await hasher.verify('example-service-secret', service?.client_secret_hash ?? null),
      true,
    );
    assert.equal(JSON.stringify(await snapshot(storage)).includes('example-service-secret'), false);
    const grant = await storage.clientGrants.find('example-service', 'https://api.example.com');
    assert.match(grant?.id ?? '', /^cgr_[A-Za-z0-9]{16}$/);
    assert.deepEqual(grant?.scope, ['read:messages']);
  });
});

describe('client grant upsert', () => {
  test('new grants get cgr_ ids; re-imports keep them and replace the scopes', async () => {
    const first = await importTenant(
      storage,
      yamlTenant(
        `${base}client_grants: [{ client_id: svc, audience: https://api, scope: [read] }]`,
      ),
      hasher,
    );
    assert.deepEqual(first.client_grants, { created: 1, updated: 0 });
    const [created] = await storage.clientGrants.list();
    assert.match(created?.id ?? '', /^cgr_[A-Za-z0-9]{16}$/);
    const second = await importTenant(
      storage,
      yamlTenant(
        `${base}client_grants: [{ client_id: svc, audience: https://api, scope: [write, read] }]`,
      ),
      hasher,
    );
    assert.deepEqual(second.client_grants, { created: 0, updated: 1 });
    assert.deepEqual(await storage.clientGrants.list(), [
      { id: created?.id, client_id: 'svc', audience: 'https://api', scope: ['write', 'read'] },
    ]);
  });

  test('a grant of another client for the same API is a separate grant', async () => {
    const yaml = `
clients:
  - { client_id: svc, name: Service, client_secret: s }
  - { client_id: other, name: Other, client_secret: t }
resource_servers: [{ identifier: https://api, name: API, scopes: [{ value: read }] }]
client_grants:
  - { client_id: svc, audience: https://api, scope: [read] }
  - { client_id: other, audience: https://api, scope: [] }
`;
    const summary = await importTenant(storage, yamlTenant(yaml), hasher);
    assert.deepEqual(summary.client_grants, { created: 2, updated: 0 });
    const svc = await storage.clientGrants.find('svc', 'https://api');
    const other = await storage.clientGrants.find('other', 'https://api');
    assert.deepEqual(svc?.scope, ['read']);
    assert.deepEqual(other?.scope, []);
    assert.notEqual(svc?.id, other?.id);
  });
});

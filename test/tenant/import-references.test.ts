/**
 * @module test/tenant/import-references
 *
 * Cross-references (file and storage together), checked before anything is written; client
 * secrets kept or required; tenant settings changed field by field; credentials stored as PEM.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { DEFAULT_REFRESH_TOKEN_POLICY } from '../../src/storage/models.js';
import type { Storage } from '../../src/storage/storage.js';
import { importTenant } from '../../src/tenant/import-tenant.js';
import type { TenantFile } from '../../src/tenant/schema.js';
import {
  freshStorage,
  hasher,
  rsaPublicKey,
  snapshot,
  tenantRejectionOf,
  yamlTenant,
} from './support.js';

let storage: Storage;
beforeEach(async () => {
  storage = await freshStorage();
});
afterEach(async () => {
  await storage.close();
});

/** Imports `yaml`, expecting it to fail with `message` and to write nothing. */
async function rejectsWithoutWriting(yaml: string, message: string): Promise<void> {
  const before = await snapshot(storage);
  assert.equal(await tenantRejectionOf(importTenant(storage, yamlTenant(yaml), hasher)), message);
  assert.deepEqual(await snapshot(storage), before);
}

const everything = `
clients: [{ client_id: app, name: App, client_secret: s }]
resource_servers: [{ identifier: https://api, name: API }]
connections: [{ name: db, enabled_clients: [app] }]
users: [{ connection: db, email: u@x.y, password: pw }]
`;

describe('cross-references are checked before any write', () => {
  test('tenant.default_directory', async () => {
    await rejectsWithoutWriting(
      `tenant: { default_directory: nope }\n${everything}`,
      'tenant.default_directory: connection "nope" is not in the file or in storage',
    );
  });

  test('tenant.default_audience', async () => {
    await rejectsWithoutWriting(
      `tenant: { default_audience: https://other }\n${everything}`,
      'tenant.default_audience: API "https://other" is not in the file or in storage',
    );
  });

  test('connections[].enabled_clients', async () => {
    await rejectsWithoutWriting(
      everything.replace('enabled_clients: [app]', 'enabled_clients: [app, ghost]'),
      'connections[0].enabled_clients[1]: client "ghost" is not in the file or in storage',
    );
  });

  test('users[].connection', async () => {
    await rejectsWithoutWriting(
      everything.replace(
        'password: pw }]',
        'password: pw }, { connection: elsewhere, email: v@x.y }]',
      ),
      'users[1].connection: connection "elsewhere" is not in the file or in storage',
    );
  });

  test('references to records already in storage are fine', async () => {
    await importTenant(storage, yamlTenant(everything), hasher);
    const summary = await importTenant(
      storage,
      yamlTenant(`
tenant: { default_directory: db, default_audience: https://api }
connections: [{ name: db2, enabled_clients: [app] }]
users: [{ connection: db, email: w@x.y }]
`),
      hasher,
    );
    assert.deepEqual(summary.connections, { created: 1, updated: 0 });
    assert.deepEqual(summary.users, { created: 1, updated: 0 });
    const settings = await storage.tenant.get();
    assert.equal(settings.default_directory, 'db');
    assert.equal(settings.default_audience, 'https://api');
  });
});

describe('tenant settings', () => {
  test('only the fields present change; null clears', async () => {
    await importTenant(
      storage,
      yamlTenant(`tenant: { default_directory: db, friendly_name: One }\n${everything}`),
      hasher,
    );
    await importTenant(
      storage,
      yamlTenant('tenant: { resource_parameter_profile: compatibility }'),
      hasher,
    );
    assert.deepEqual(await storage.tenant.get(), {
      default_directory: 'db',
      default_audience: null,
      friendly_name: 'One',
      resource_parameter_profile: 'compatibility',
    });
    const summary = await importTenant(
      storage,
      yamlTenant('tenant: { default_directory: null }'),
      hasher,
    );
    assert.equal(summary.tenant.updated, true);
    assert.equal((await storage.tenant.get()).default_directory, null);
    assert.equal(
      (await importTenant(storage, yamlTenant('tenant: {}'), hasher)).tenant.updated,
      false,
    );
  });
});

describe('client secrets', () => {
  test('a new client_secret_* client needs a secret', async () => {
    await rejectsWithoutWriting(
      'clients: [{ client_id: app, name: App, token_endpoint_auth_method: client_secret_basic }]',
      'clients[0].client_secret: client_secret or client_secret_hash is required for client_secret_basic',
    );
  });

  test('an existing client keeps its hash when the file gives no secret', async () => {
    await importTenant(storage, yamlTenant(everything), hasher);
    const before = await storage.clients.get('app');
    await importTenant(storage, yamlTenant('clients: [{ client_id: app, name: Renamed }]'), hasher);
    const after = await storage.clients.get('app');
    assert.equal(after?.name, 'Renamed');
    assert.equal(after?.client_secret_hash, before?.client_secret_hash);
    assert.equal(await hasher.verify('s', after?.client_secret_hash ?? null), true);
  });

  test('a given client_secret_hash is stored as-is; none clears the hash', async () => {
    const hash = await hasher.hash('given secret');
    await importTenant(
      storage,
      yamlTenant(`clients: [{ client_id: app, name: App, client_secret_hash: "${hash}" }]`),
      hasher,
    );
    assert.equal((await storage.clients.get('app'))?.client_secret_hash, hash);
    await importTenant(
      storage,
      yamlTenant('clients: [{ client_id: app, name: App, token_endpoint_auth_method: none }]'),
      hasher,
    );
    assert.equal((await storage.clients.get('app'))?.client_secret_hash, null);
  });
});

describe('private_key_jwt credentials', () => {
  test('a JWK is stored as SPKI PEM', async () => {
    const key = rsaPublicKey();
    const jwk = JSON.stringify({ ...key.export({ format: 'jwk' }), kid: 'key-1' });
    await importTenant(
      storage,
      yamlTenant(`
clients:
  - client_id: svc
    name: Service
    app_type: non_interactive
    token_endpoint_auth_method: private_key_jwt
    client_authentication_methods:
      private_key_jwt:
        credentials: [{ name: primary, jwk: ${jwk}, alg: PS256 }]
`),
      hasher,
    );
    const client = await storage.clients.get('svc');
    assert.equal(client?.client_secret_hash, null);
    assert.deepEqual(client?.client_authentication_methods, {
      private_key_jwt: {
        credentials: [
          {
            id: 'key-1',
            name: 'primary',
            credential_type: 'public_key',
            pem: key.export({ type: 'spki', format: 'pem' }).toString(),
            alg: 'PS256',
          },
        ],
      },
    });
  });
});

describe('files built in code', () => {
  test('are validated and completed with defaults', async () => {
    const bad = { clients: [{ client_id: 'a', name: 'A', extra: 1 }] } as unknown as TenantFile;
    assert.equal(
      await tenantRejectionOf(importTenant(storage, bad, hasher)),
      'clients[0].extra: unknown field',
    );
    await importTenant(
      storage,
      { clients: [{ client_id: 'a', name: 'A', token_endpoint_auth_method: 'none' }] },
      hasher,
    );
    assert.deepEqual(await storage.clients.get('a'), {
      client_id: 'a',
      name: 'A',
      app_type: 'regular_web',
      grant_types: [],
      token_endpoint_auth_method: 'none',
      client_secret_hash: null,
      client_authentication_methods: null,
      is_token_endpoint_ip_header_trusted: false,
      jwt_configuration: { lifetime_in_seconds: 36000, alg: 'RS256' },
      refresh_token: DEFAULT_REFRESH_TOKEN_POLICY,
      allowed_origins: [],
      web_origins: [],
      require_proof_of_possession: false,
    });
  });
});

/**
 * @module test/tenant/export-tenant
 *
 * Exporting storage as a tenant file, and export -> serialize -> parse -> import into a fresh
 * storage giving equal records.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings test literal ${...} references.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { DEFAULT_REFRESH_TOKEN_POLICY } from '../../src/storage/models.js';
import type { Storage } from '../../src/storage/storage.js';
import { exportTenant, serializeTenant } from '../../src/tenant/export-tenant.js';
import { importTenant } from '../../src/tenant/import-tenant.js';
import { loadTenantFile, parseTenantDocument } from '../../src/tenant/load-tenant-file.js';
import { freshStorage, hasher, rsaPublicKey, snapshot, yamlTenant } from './support.js';

const EXAMPLE = new URL('../../examples/tenant.yaml', import.meta.url).pathname;
const NOW = new Date('2031-05-06T07:08:09.000Z');

/** A snapshot without the ids that a fresh storage generates anew. */
async function comparable(storage: Storage) {
  const all = await snapshot(storage);
  return {
    ...all,
    resourceServers: all.resourceServers.map(({ id: _id, ...rest }) => rest),
    clientGrants: all.clientGrants.map(({ id: _id, ...rest }) => rest),
    connections: all.connections.map(({ id: _id, ...rest }) => rest),
    attackSettings: await storage.attackSettings.get(),
  };
}

async function richTenant(): Promise<string> {
  const jwk = JSON.stringify(rsaPublicKey().export({ format: 'jwk' }));
  const bcrypt = await bcryptHash('legacy', 4);
  return `
tenant: { friendly_name: "Rich $\${NOT_A_VAR}", default_directory: db, resource_parameter_profile: compatibility }
clients:
  - client_id: web
    name: Web
    client_secret: s
    token_endpoint_auth_method: client_secret_basic
    refresh_token: { rotation_type: rotating, expiration_type: expiring, leeway: 30, infinite_idle_token_lifetime: true }
    allowed_origins: ["HTTPS://App.Example.COM:443/", "http://localhost:8080"]
    web_origins: ["capacitor://localhost"]
  - client_id: svc
    name: Service
    token_endpoint_auth_method: private_key_jwt
    is_token_endpoint_ip_header_trusted: true
    jwt_configuration: { lifetime_in_seconds: 600 }
    client_authentication_methods:
      private_key_jwt:
        credentials: [{ name: k, jwk: ${jwk}, alg: RS384 }]
resource_servers:
  - identifier: https://api
    name: API
    scopes: [{ value: "read:x", description: Read }]
    token_lifetime: 3600
    token_dialect: rfc9068_profile
    signing_alg: PS256
  - { identifier: https://other, name: Other, scopes: [{ value: a }, { value: b }] }
client_grants:
  - { client_id: svc, audience: https://api, scope: ["read:x"] }
  - { client_id: svc, audience: https://other, scope: [] }
connections: [{ name: db, enabled_clients: [web, svc], options: { requires_username: true } }]
users:
  - connection: db
    email: a@x.y
    username: a
    password: pw
    nickname: "$\${nick}"
    app_metadata: { plan: gold, nested: { list: [1, "$\${x}"] } }
    user_metadata: { theme: dark }
  - { connection: db, username: legacy, password_hash: "${bcrypt}", picture: "https://p/x.png" }
  - { connection: db, email: nopass@x.y, email_verified: true, blocked: true }
attack_protection:
  brute_force_protection: { max_attempts: 5, allowlist: ["10.0.0.0/8"] }
  suspicious_ip_throttling: { stage: { pre-login: { max_attempts: 50 } } }
  account_throttling: { enabled: false }
`;
}

let source: Storage;
before(async () => {
  source = await freshStorage();
  await importTenant(source, yamlTenant(await richTenant()), hasher, () => NOW);
});
after(async () => {
  await source.close();
});

describe('exportTenant', () => {
  test('writes refresh-token policies, normalised origins and client grants', async () => {
    const file = await exportTenant(source);
    const web = file.clients?.find((c) => c.client_id === 'web');
    assert.deepEqual(web?.refresh_token, {
      rotation_type: 'rotating',
      expiration_type: 'expiring',
      leeway: 30,
      token_lifetime: 2592000,
      infinite_token_lifetime: false,
      idle_token_lifetime: 1296000,
      infinite_idle_token_lifetime: true,
    });
    assert.deepEqual(web?.allowed_origins, ['https://app.example.com', 'http://localhost:8080']);
    assert.deepEqual(web?.web_origins, ['capacitor://localhost']);
    const svc = file.clients?.find((c) => c.client_id === 'svc');
    assert.deepEqual(svc?.refresh_token, { ...DEFAULT_REFRESH_TOKEN_POLICY });
    assert.deepEqual(svc?.allowed_origins, []);
    assert.deepEqual(
      [...(file.client_grants ?? [])].sort((a, b) => a.audience.localeCompare(b.audience)),
      [
        { client_id: 'svc', audience: 'https://api', scope: ['read:x'] },
        { client_id: 'svc', audience: 'https://other', scope: [] },
      ],
    );
  });

  test('writes hashes, never secrets, and credentials as PEM with their kid', async () => {
    const file = await exportTenant(source);
    const web = file.clients?.find((c) => c.client_id === 'web');
    const stored = await source.clients.get('web');
    assert.equal(web?.client_secret_hash, stored?.client_secret_hash);
    assert.equal(web?.client_secret, undefined);
    const svc = file.clients?.find((c) => c.client_id === 'svc');
    const credential = (await source.clients.get('svc'))?.client_authentication_methods
      ?.private_key_jwt.credentials[0];
    assert.deepEqual(svc?.client_authentication_methods?.private_key_jwt.credentials, [
      {
        name: 'k',
        credential_type: 'public_key',
        pem: credential?.pem,
        alg: 'RS384',
        kid: credential?.id,
      },
    ]);
    const user = file.users?.find((u) => u.email === 'a@x.y');
    assert.ok(user?.password_hash?.startsWith('$argon2id$'));
    assert.equal(user?.password, undefined);
    assert.equal(file.users?.find((u) => u.email === 'nopass@x.y')?.password_hash, undefined);
  });

  test('escapes ${ so that it survives environment expansion', async () => {
    const file = await exportTenant(source);
    assert.equal(file.tenant?.friendly_name, 'Rich $${NOT_A_VAR}');
    assert.equal(file.users?.find((u) => u.username === 'a')?.nickname, '$${nick}');
    assert.equal((await source.tenant.get()).friendly_name, 'Rich ${NOT_A_VAR}');
  });

  test('writes the stored attack-protection settings in full', async () => {
    const file = await exportTenant(source);
    assert.deepEqual(file.attack_protection, {
      brute_force_protection: {
        enabled: true,
        max_attempts: 5,
        mode: 'count_per_identifier_and_ip',
        shields: ['block', 'user_notification'],
        allowlist: ['10.0.0.0/8'],
      },
      suspicious_ip_throttling: {
        enabled: true,
        shields: ['block', 'admin_notification'],
        allowlist: [],
        stage: { 'pre-login': { max_attempts: 50, rate: 864_000 } },
      },
      account_throttling: {
        enabled: false,
        threshold: 20,
        initial_delay: 1_000,
        max_delay: 3_600_000,
      },
      same_user_ip_limit: { enabled: true, max_attempts: 20, rate: 6_000 },
    });
  });

  test('an empty storage exports default settings and no records', async () => {
    const empty = await freshStorage();
    try {
      assert.deepEqual(await exportTenant(empty), {
        tenant: {
          default_directory: null,
          default_audience: null,
          friendly_name: 'Latchkey',
          resource_parameter_profile: 'audience',
        },
        clients: [],
        resource_servers: [],
        client_grants: [],
        connections: [],
        users: [],
        guardian: { policies: [], factors: [] },
      });
    } finally {
      await empty.close();
    }
  });
});

describe('export -> import round trip', () => {
  for (const format of ['yaml', 'json'] as const) {
    test(`${format}: a fresh storage gets equal records`, async () => {
      const text = serializeTenant(await exportTenant(source), format);
      assert.ok(text.endsWith('\n'));
      const target = await freshStorage();
      try {
        const summary = await importTenant(
          target,
          parseTenantDocument(text, format, {}),
          hasher,
          () => NOW,
        );
        assert.deepEqual(summary.users, { created: 3, updated: 0 });
        assert.deepEqual(await comparable(target), await comparable(source));
      } finally {
        await target.close();
      }
    });
  }

  test('the example tenant round-trips through a YAML file', async () => {
    const first = await freshStorage();
    const second = await freshStorage();
    try {
      await importTenant(first, await loadTenantFile(EXAMPLE, {}), hasher, () => NOW);
      const text = serializeTenant(await exportTenant(first), 'yaml');
      await importTenant(second, parseTenantDocument(text, 'yaml', {}), hasher, () => NOW);
      assert.deepEqual(await comparable(second), await comparable(first));
      const alice = await second.users.findByEmail(
        'Username-Password-Authentication',
        'alice@example.com',
      );
      assert.equal(
        await hasher.verify('correct horse battery staple', alice?.password_hash ?? null),
        true,
      );
    } finally {
      await first.close();
      await second.close();
    }
  });

  test('re-importing the export into the same storage changes nothing', async () => {
    const before = await snapshot(source);
    const summary = await importTenant(
      source,
      parseTenantDocument(serializeTenant(await exportTenant(source), 'yaml'), 'yaml', {}),
      hasher,
      () => NOW,
    );
    assert.deepEqual(summary.users, { created: 0, updated: 3 });
    assert.deepEqual(await snapshot(source), before);
  });
});

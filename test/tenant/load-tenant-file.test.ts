/**
 * @module test/tenant/load-tenant-file
 *
 * Reading tenant files: formats, defaults, syntax errors, file errors, the example tenant.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings test literal ${...} references.
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_REFRESH_TOKEN_POLICY } from '../../src/storage/models.js';
import {
  loadTenantFile,
  MAX_TENANT_FILE_BYTES,
  parseTenantDocument,
  TenantFileError,
} from '../../src/tenant/load-tenant-file.js';
import { tenantErrorOf, tenantRejectionOf, yamlTenant } from './support.js';

const errorOf = (yaml: string, env: NodeJS.ProcessEnv = {}) =>
  tenantErrorOf(() => yamlTenant(yaml, env));
describe('defaults and formats', () => {
  const minimal = `
tenant: { friendly_name: T }
clients: [{ client_id: a, name: A, client_secret: "\${SECRET:-dflt}" }]
resource_servers: [{ identifier: https://api, name: API, scopes: [{ value: read }] }]
client_grants: [{ client_id: a, audience: https://api, scope: [read] }]
connections: [{ name: db }]
users: [{ connection: db, email: A@B.C }]
`;
  const expected = {
    tenant: { friendly_name: 'T' },
    clients: [
      {
        client_id: 'a',
        name: 'A',
        client_secret: 'dflt',
        app_type: 'regular_web',
        grant_types: [],
        token_endpoint_auth_method: 'client_secret_post',
        is_token_endpoint_ip_header_trusted: false,
        jwt_configuration: { lifetime_in_seconds: 36000 },
        refresh_token: { ...DEFAULT_REFRESH_TOKEN_POLICY },
        allowed_origins: [],
        web_origins: [],
        require_proof_of_possession: false,
      },
    ],
    resource_servers: [
      {
        identifier: 'https://api',
        name: 'API',
        scopes: [{ value: 'read', description: '' }],
        token_lifetime: 86400,
        allow_offline_access: false,
        signing_alg: 'RS256',
        token_dialect: 'access_token',
      },
    ],
    client_grants: [{ client_id: 'a', audience: 'https://api', scope: ['read'] }],
    connections: [
      { name: 'db', strategy: 'auth0', enabled_clients: [], options: { requires_username: false } },
    ],
    users: [
      {
        connection: 'db',
        email: 'A@B.C',
        email_verified: false,
        app_metadata: {},
        user_metadata: {},
        blocked: false,
      },
    ],
  };

  test('YAML: defaults are applied after validation; tenant settings get none', () => {
    assert.deepEqual(yamlTenant(minimal), expected);
  });

  test('environment variables override defaults', () => {
    assert.equal(
      yamlTenant(minimal, { SECRET: 'from-env' }).clients?.[0]?.client_secret,
      'from-env',
    );
  });

  test('JSON gives the same result', () => {
    const json = JSON.stringify({
      tenant: { friendly_name: 'T' },
      clients: [{ client_id: 'a', name: 'A', client_secret: '${SECRET:-dflt}' }],
      resource_servers: [{ identifier: 'https://api', name: 'API', scopes: [{ value: 'read' }] }],
      client_grants: [{ client_id: 'a', audience: 'https://api', scope: ['read'] }],
      connections: [{ name: 'db' }],
      users: [{ connection: 'db', email: 'A@B.C' }],
    });
    assert.deepEqual(parseTenantDocument(json, 'json', {}), expected);
  });

  test('an empty document is an empty tenant', () => {
    assert.deepEqual(yamlTenant(''), {});
    assert.deepEqual(yamlTenant('# nothing yet\n'), {});
    assert.deepEqual(parseTenantDocument('{}', 'json', {}), {});
  });

  test('syntax errors are one line', () => {
    const yaml = errorOf('tenant:\n  friendly_name: a\n  friendly_name: b\n');
    assert.equal(yaml, 'invalid YAML: Map keys must be unique at line 3, column 3');
    const json = tenantErrorOf(() => parseTenantDocument('{"tenant": {},\n}', 'json', {}));
    assert.equal(json, 'invalid JSON: Expected double-quoted property name at line 2, column 1');
    // JSON.parse would keep the last of two equal keys; YAML refuses them, and so does JSON here
    const twice =
      '{"clients": [{"client_id": "a", "name": "A",\n  "grant_types": ["password"], "grant_types": []}]}';
    assert.equal(
      tenantErrorOf(() => parseTenantDocument(twice, 'json', {})),
      'invalid JSON: key "grant_types" appears twice in one object (line 2, column 32)',
    );
    assert.equal(
      tenantErrorOf(() => parseTenantDocument('{"tenant": {}, "tenant": {}}', 'json', {})),
      'invalid JSON: key "tenant" appears twice in one object (line 1, column 16)',
    );
    // the same key in two objects is fine, and an escaped spelling is the same key
    const names = parseTenantDocument(
      '{"connections": [{"name": "a"}, {"name": "b"}]}',
      'json',
      {},
    );
    assert.deepEqual(
      names.connections?.map((c) => c.name),
      ['a', 'b'],
    );
    assert.equal(
      tenantErrorOf(() => parseTenantDocument('{"tenant": {}, "\\u0074enant": {}}', 'json', {})),
      'invalid JSON: key "tenant" appears twice in one object (line 1, column 16)',
    );
    // never the text around the error: it may be a secret
    const bare = '{"clients": [{"client_secret": SEKRIT-bare}]}';
    const quoted = tenantErrorOf(() => parseTenantDocument(bare, 'json', {}));
    assert.equal(
      quoted,
      'invalid JSON: unexpected character (a value that is not JSON, such as an unquoted string?)',
    );
    assert.equal(
      errorOf('tenant: { friendly_name: ${X} }'),
      'invalid YAML: Unexpected flow-map-start at node end at line 1, column 27 (quote values that contain "${")',
    );
  });
});

describe('documents built to hurt the parser', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const metadata = (depth: number, format: 'yaml' | 'json') =>
    parseTenantDocument(
      `{"users": [{"connection": "db", "email": "a@b.c", "user_metadata": {"x": ${nested(depth)}}}]}`,
      format,
      {},
    );

  test('YAML aliases: an alias to no anchor, and a "billion laughs" document', () => {
    assert.equal(
      errorOf('clients: *nope\n'),
      'invalid YAML: an alias names no anchor (quote values that start with "*")',
    );
    const rows = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) rows.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`)}]`);
    assert.equal(
      errorOf(`${rows.join('\n')}\nclients: *a9\n`),
      'invalid YAML: Excessive alias count indicates a resource exhaustion attack',
    );
  });

  test('a tag YAML does not know is refused, not dropped with its text kept', () => {
    assert.equal(
      errorOf('tenant:\n  friendly_name: !Ref Name\n'),
      'invalid YAML: unknown tag at line 2, column 18 (quote values that start with "!")',
    );
    // an unquoted secret that starts with "!" or "*" is not printed back
    assert.equal(
      errorOf('clients: [{ client_id: a, name: A, client_secret: !Hunter2-Pass }]'),
      'invalid YAML: unknown tag at line 1, column 51 (quote values that start with "!")',
    );
    // YAML 1.1's types would become a Map, a Set, bytes, a date: passing as empty objects
    for (const tagged of [
      'guardian: !!omap [ { policies: [all-applications] } ]',
      'clients: !!set { a, b }',
      'tenant: { friendly_name: !!binary aGVsbG8= }',
      'tenant: { friendly_name: !!timestamp 2001-12-14 }',
    ]) {
      assert.match(errorOf(tagged), /^invalid YAML: unknown tag at line 1, column \d+ /, tagged);
    }
    assert.equal(yamlTenant('tenant: { friendly_name: !!str 12 }').tenant?.friendly_name, '12');
  });

  test('nesting past 64 levels is refused where it happens, not a stack overflow', () => {
    for (const format of ['json', 'yaml'] as const) {
      // the document, users, users[0] and user_metadata are 4 levels; x holds the other 60
      assert.deepEqual(metadata(60, format).users?.[0]?.user_metadata, {
        x: JSON.parse(nested(60)),
      });
      assert.equal(
        tenantErrorOf(() => metadata(61, format)),
        'users[0].user_metadata.x: nested more than 64 levels deep',
      );
    }
    assert.equal(
      tenantErrorOf(() => metadata(5000, 'json')),
      'users[0].user_metadata.x: nested more than 64 levels deep',
    );
    // YAML's parser recurses over flow collections and gives up first: the same rule, its place
    assert.match(
      tenantErrorOf(() => metadata(5000, 'yaml')),
      /^invalid YAML: nested more than 64 levels deep at line 1, column \d+$/,
    );
  });
});

describe('loadTenantFile', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'latchkey-tenant-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads .yaml, .yml and .json by extension', async () => {
    const yaml = 'connections: [{ name: db }]\n';
    await writeFile(join(dir, 'a.yaml'), yaml);
    await writeFile(join(dir, 'b.YML'), yaml);
    await writeFile(join(dir, 'c.json'), '\uFEFF{"connections": [{"name": "db"}]}');
    const want = {
      connections: [
        {
          name: 'db',
          strategy: 'auth0',
          enabled_clients: [],
          options: { requires_username: false },
        },
      ],
    };
    for (const name of ['a.yaml', 'b.YML', 'c.json']) {
      assert.deepEqual(await loadTenantFile(join(dir, name), {}), want, name);
    }
  });

  test('YAML content in a .json file is a JSON syntax error', async () => {
    const path = join(dir, 'wrong.json');
    await writeFile(path, 'connections: []\n');
    const message = await tenantRejectionOf(loadTenantFile(path, {}));
    assert.ok(message.startsWith(`${path}: invalid JSON: `), message);
  });

  test('errors start with the file path', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'clients:\n  - client_id: a\n    name: A\n    grant_type: [password]\n');
    assert.equal(
      await tenantRejectionOf(loadTenantFile(path, {})),
      `${path}: clients[0].grant_type: unknown field`,
    );
    const envPath = join(dir, 'env.yaml');
    await writeFile(envPath, 'tenant:\n  friendly_name: "${NAME}"\n');
    assert.equal(
      await tenantRejectionOf(loadTenantFile(envPath, {})),
      `${envPath}: tenant.friendly_name: environment variable NAME is not set`,
    );
    assert.deepEqual(await loadTenantFile(envPath, { NAME: 'Acme' }), {
      tenant: { friendly_name: 'Acme' },
    });
  });

  test('unsupported extension and unreadable file', async () => {
    const txt = join(dir, 'tenant.txt');
    assert.equal(
      await tenantRejectionOf(loadTenantFile(txt, {})),
      `${txt}: unsupported file extension .txt (expected .yaml, .yml or .json)`,
    );
    const missing = join(dir, 'missing.yaml');
    assert.equal(
      await tenantRejectionOf(loadTenantFile(missing, {})),
      `${missing}: cannot read file (ENOENT)`,
    );
  });

  test('a file past the size cap is refused before it is parsed, a device that never ends too', async () => {
    const big = join(dir, 'big.yaml');
    await writeFile(big, `tenant: {}\n${'#'.repeat(MAX_TENANT_FILE_BYTES)}`);
    const tooLarge = `file is larger than 16 MiB (import users in bulk with \`latchkey users import\`)`;
    assert.equal(await tenantRejectionOf(loadTenantFile(big, {})), `${big}: ${tooLarge}`);
    const endless = join(dir, 'zero.json');
    await symlink('/dev/zero', endless);
    assert.equal(await tenantRejectionOf(loadTenantFile(endless, {})), `${endless}: ${tooLarge}`);
    const atCap = join(dir, 'at-cap.yaml');
    await writeFile(atCap, `tenant: {}\n${'#'.repeat(MAX_TENANT_FILE_BYTES - 11)}`);
    assert.deepEqual(await loadTenantFile(atCap, {}), { tenant: {} });
  });

  test('the error carries its parts', async () => {
    const path = join(dir, 'parts.yaml');
    await writeFile(path, 'users: [{ connection: c }]\n');
    const error = await loadTenantFile(path, {}).catch((caught: unknown) => caught);
    assert.ok(error instanceof TenantFileError);
    assert.equal(error.source, path);
    assert.equal(error.fieldPath, 'users[0]');
    assert.equal(error.problem, 'email or username is required');
  });

  test('the example tenant loads, with and without environment overrides', async () => {
    const example = new URL('../../examples/tenant.yaml', import.meta.url).pathname;
    const plain = await loadTenantFile(example, {});
    assert.equal(plain.tenant?.friendly_name, 'Latchkey Example');
    assert.equal(plain.tenant?.default_directory, 'Username-Password-Authentication');
    assert.equal(plain.tenant?.default_audience, undefined);
    assert.equal(plain.clients?.[0]?.client_secret, 'example-backend-secret');
    assert.equal(plain.users?.[0]?.password, 'correct horse battery staple');
    assert.equal(plain.clients?.[2]?.client_secret, 'example-service-secret');
    const custom = await loadTenantFile(example, {
      LATCHKEY_EXAMPLE_SECRET: 'другой',
      LATCHKEY_EXAMPLE_PASSWORD: 'pw from env',
      LATCHKEY_EXAMPLE_SERVICE_SECRET: 'service from env',
    });
    assert.equal(custom.clients?.[0]?.client_secret, 'другой');
    assert.equal(custom.clients?.[2]?.client_secret, 'service from env');
    assert.equal(custom.users?.[0]?.password, 'pw from env');
  });
});

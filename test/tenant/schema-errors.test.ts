/**
 * @module test/tenant/schema-errors
 *
 * Schema violations in a tenant document become one-line errors naming the field path.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings test literal ${...} references.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tenantErrorOf, yamlTenant } from './support.js';

const errorOf = (yaml: string, env: NodeJS.ProcessEnv = {}) =>
  tenantErrorOf(() => yamlTenant(yaml, env));

describe('schema errors name the field path', () => {
  test('unknown fields at any depth', () => {
    assert.equal(errorOf('tenants: {}'), 'tenants: unknown field');
    assert.equal(
      errorOf('clients: [{ client_id: a, name: A, client_secret: s, grant_type: [] }]'),
      'clients[0].grant_type: unknown field',
    );
    assert.equal(
      errorOf(`
clients:
  - { client_id: a, name: A, client_secret: s }
  - client_id: b
    name: B
    token_endpoint_auth_method: private_key_jwt
    client_authentication_methods:
      private_key_jwt:
        credentials: [{ pem: x, usage: sign }]
`),
      'clients[1].client_authentication_methods.private_key_jwt.credentials[0].usage: unknown field',
    );
    assert.equal(
      errorOf('connections: [{ name: c, options: { requires_email: true } }]'),
      'connections[0].options.requires_email: unknown field',
    );
  });

  test('an unknown field is reported before the required field it may replace', () => {
    assert.equal(errorOf('clients: [{ client_id: a, nmae: A }]'), 'clients[0].nmae: unknown field');
  });

  test('missing required fields', () => {
    assert.equal(errorOf('clients: [{ client_id: a }]'), 'clients[0].name: missing required field');
    assert.equal(
      errorOf('users: [{ email: a@b.c }]'),
      'users[0].connection: missing required field',
    );
    assert.equal(
      errorOf('resource_servers: [{ identifier: x, name: X, scopes: [{ description: d }] }]'),
      'resource_servers[0].scopes[0].value: missing required field',
    );
  });

  test('enums list the allowed values', () => {
    assert.equal(
      errorOf('clients: [{ client_id: a, name: A, app_type: web }]'),
      'clients[0].app_type: expected one of "non_interactive", "regular_web", "native", "spa", got "web"',
    );
    assert.equal(
      errorOf('clients: [{ client_id: a, name: A, token_endpoint_auth_method: basic }]'),
      'clients[0].token_endpoint_auth_method: expected one of "client_secret_post", ' +
        '"client_secret_basic", "private_key_jwt", "none", got "basic"',
    );
    assert.equal(
      errorOf('resource_servers: [{ identifier: x, name: X, signing_alg: HS256 }]'),
      'resource_servers[0].signing_alg: expected one of "RS256", "PS256", got "HS256"',
    );
    assert.equal(
      errorOf('tenant: { resource_parameter_profile: rfc8707 }'),
      'tenant.resource_parameter_profile: expected one of "audience", "compatibility", got "rfc8707"',
    );
    assert.equal(
      errorOf('connections: [{ name: c, strategy: google-oauth2 }]'),
      'connections[0].strategy: expected one of "auth0", got "google-oauth2"',
    );
  });

  test('wrong types', () => {
    assert.equal(
      errorOf('clients: [{ client_id: a, name: A, grant_types: password }]'),
      'clients[0].grant_types: expected array, got string',
    );
    assert.equal(
      errorOf('clients: [{ client_id: 12, name: A }]'),
      'clients[0].client_id: expected string, got integer',
    );
    assert.equal(errorOf('users: {}'), 'users: expected array, got object');
    assert.equal(
      errorOf('users: [{ connection: c, email: a@b.c, blocked: "yes" }]'),
      'users[0].blocked: expected boolean, got string',
    );
    assert.equal(
      errorOf('users: [{ connection: c, email: a@b.c, app_metadata: [1] }]'),
      'users[0].app_metadata: expected object, got array',
    );
    assert.equal(
      errorOf('tenant: { default_audience: 3 }'),
      'tenant.default_audience: expected string or null, got integer',
    );
    assert.equal(errorOf('- a\n- b'), 'expected a mapping at the top level, got array');
  });

  test('numbers and strings out of range', () => {
    const lifetime = (n: number) =>
      errorOf(
        `clients: [{ client_id: a, name: A, client_secret: s, jwt_configuration: { lifetime_in_seconds: ${n} } }]`,
      );
    assert.equal(lifetime(0), 'clients[0].jwt_configuration.lifetime_in_seconds: must be >= 1');
    assert.equal(
      lifetime(2592001),
      'clients[0].jwt_configuration.lifetime_in_seconds: must be <= 2592000',
    );
    assert.equal(
      lifetime(1.5),
      'clients[0].jwt_configuration.lifetime_in_seconds: expected integer, got number',
    );
    assert.equal(
      errorOf('resource_servers: [{ identifier: "", name: X }]'),
      'resource_servers[0].identifier: must not be empty',
    );
  });

  test('keys that are not identifiers are quoted in the path', () => {
    assert.equal(
      errorOf('users: [{ connection: c, email: a@b.c, app_metadata: { "plan id": "${PLAN}" } }]'),
      'users[0].app_metadata["plan id"]: environment variable PLAN is not set',
    );
  });
});

describe('values quoted in schema errors', () => {
  test('are cut at 100 characters, so a huge value is not a huge line', () => {
    const huge = 'w'.repeat(5_000);
    assert.equal(
      errorOf(`clients: [{ client_id: a, name: A, client_secret: s, app_type: ${huge} }]`),
      `clients[0].app_type: expected one of "non_interactive", "regular_web", "native", "spa", got "${'w'.repeat(100)}…"`,
    );
  });
});

describe('scope values', () => {
  test('are RFC 6749 scope tokens: no space (it would split the scope in two), no " or \\', () => {
    for (const bad of ['"read messages"', '"read\\"x"', '"read\\\\x"']) {
      assert.equal(
        errorOf(
          `resource_servers: [{ identifier: https://api, name: API, scopes: [{ value: ${bad} }] }]`,
        ),
        'resource_servers[0].scopes[0].value: must be printable ASCII without spaces, " or \\ (RFC 6749 §3.3)',
        bad,
      );
    }
    const ok = yamlTenant(
      'resource_servers: [{ identifier: https://api, name: API, scopes: [{ value: "read:messages" }] }]',
    );
    assert.equal(ok.resource_servers?.[0]?.scopes?.[0]?.value, 'read:messages');
  });
});

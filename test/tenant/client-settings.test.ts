/**
 * @module test/tenant/client-settings
 *
 * A client's `refresh_token` policy (schema bounds, Auth0's rules, defaults), its
 * `allowed_origins` / `web_origins` (checked and normalised), duplicate client grants, and
 * `grant_types` (Auth0's values only; `client_credentials` not on a public client).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_REFRESH_TOKEN_POLICY } from '../../src/storage/models.js';
import { refreshTokenPolicy } from '../../src/tenant/client-settings.js';
import { AUTH0_GRANT_TYPES } from '../../src/tenant/grant-types.js';
import { normalizeOrigin, originProblem } from '../../src/tenant/origins.js';
import { tenantErrorOf, yamlTenant } from './support.js';

const errorOf = (yaml: string) => tenantErrorOf(() => yamlTenant(yaml));
const client = (fields: string) =>
  `clients: [{ client_id: a, name: A, token_endpoint_auth_method: none, ${fields} }]`;
const refresh = (settings: string) => errorOf(client(`refresh_token: { ${settings} }`));

describe('refresh_token', () => {
  test('missing fields take the defaults', () => {
    const file = yamlTenant(client('refresh_token: { leeway: 5 }'));
    assert.deepEqual(file.clients?.[0]?.refresh_token, {
      ...DEFAULT_REFRESH_TOKEN_POLICY,
      leeway: 5,
    });
    assert.deepEqual(
      yamlTenant(client('grant_types: []')).clients?.[0]?.refresh_token,
      DEFAULT_REFRESH_TOKEN_POLICY,
    );
    assert.deepEqual(refreshTokenPolicy(undefined), DEFAULT_REFRESH_TOKEN_POLICY);
    assert.deepEqual(refreshTokenPolicy({ token_lifetime: 60, idle_token_lifetime: 30 }), {
      ...DEFAULT_REFRESH_TOKEN_POLICY,
      token_lifetime: 60,
      idle_token_lifetime: 30,
    });
  });

  test('enums, bounds and unknown fields', () => {
    const at = 'clients[0].refresh_token';
    assert.equal(
      refresh('rotation_type: rotate'),
      `${at}.rotation_type: expected one of "rotating", "non-rotating", got "rotate"`,
    );
    assert.equal(
      refresh('expiration_type: never'),
      `${at}.expiration_type: expected one of "expiring", "non-expiring", got "never"`,
    );
    assert.equal(refresh('leeway: -1'), `${at}.leeway: must be >= 0`);
    assert.equal(refresh('leeway: 2592001'), `${at}.leeway: must be <= 2592000`);
    assert.equal(refresh('token_lifetime: 0'), `${at}.token_lifetime: must be >= 1`);
    assert.equal(refresh('token_lifetime: 31557601'), `${at}.token_lifetime: must be <= 31557600`);
    assert.equal(refresh('idle_token_lifetime: 0'), `${at}.idle_token_lifetime: must be >= 1`);
    assert.equal(
      refresh('idle_token_lifetime: 31557601'),
      `${at}.idle_token_lifetime: must be <= 31557600`,
    );
    assert.equal(
      refresh('infinite_token_lifetime: "yes"'),
      `${at}.infinite_token_lifetime: expected boolean, got string`,
    );
    assert.equal(refresh('rotation: rotating'), `${at}.rotation: unknown field`);
  });

  test('rotating requires expiring', () => {
    assert.equal(
      refresh('rotation_type: rotating'),
      'clients[0].refresh_token.expiration_type: must be "expiring" when rotation_type is "rotating"',
    );
    assert.equal(
      refresh('rotation_type: rotating, expiration_type: non-expiring'),
      'clients[0].refresh_token.expiration_type: must be "expiring" when rotation_type is "rotating"',
    );
    const ok = yamlTenant(
      client('refresh_token: { rotation_type: rotating, expiration_type: expiring }'),
    );
    assert.equal(ok.clients?.[0]?.refresh_token?.rotation_type, 'rotating');
  });

  test('a finite idle lifetime must not exceed a finite absolute lifetime', () => {
    assert.equal(
      refresh('token_lifetime: 3600, idle_token_lifetime: 3601'),
      'clients[0].refresh_token.idle_token_lifetime: must not exceed token_lifetime (3600), got 3601',
    );
    assert.equal(
      refresh('token_lifetime: 100'),
      'clients[0].refresh_token.idle_token_lifetime: must not exceed token_lifetime (100), got 1296000',
    );
    for (const fine of [
      'token_lifetime: 3600, idle_token_lifetime: 3600',
      'token_lifetime: 60, idle_token_lifetime: 3601, infinite_token_lifetime: true',
      'token_lifetime: 60, idle_token_lifetime: 3601, infinite_idle_token_lifetime: true',
    ]) {
      assert.ok(yamlTenant(client(`refresh_token: { ${fine} }`)).clients?.[0], fine);
    }
  });
});

describe('allowed_origins and web_origins', () => {
  test('are normalised to the URL origin form', () => {
    const cases: Array<[string, string]> = [
      ['http://localhost:8080', 'http://localhost:8080'],
      ['HTTPS://App.Example.COM/', 'https://app.example.com'],
      ['https://example.com:443', 'https://example.com'],
      ['http://example.com:80/', 'http://example.com'],
      ['http://[::1]:3000', 'http://[::1]:3000'],
      ['http://bücher.de', 'http://xn--bcher-kva.de'],
      ['capacitor://localhost', 'capacitor://localhost'],
      ['Ionic://LocalHost', 'ionic://localhost'],
    ];
    for (const [input, origin] of cases) {
      assert.equal(originProblem(input), null, input);
      assert.equal(normalizeOrigin(input), origin, input);
    }
  });

  test('anything else is an error naming the field and index', () => {
    const cases: Array<[string, string]> = [
      ['*', 'wildcards (*) are not supported; list each origin'],
      ['https://*.example.com', 'wildcards (*) are not supported; list each origin'],
      ['example.com', 'must be scheme://host[:port]'],
      ['http:/example.com', 'must be scheme://host[:port]'],
      [
        'https://example.com/app',
        'must not have a path, query or fragment (scheme://host[:port] only)',
      ],
      [
        'https://example.com?x=1',
        'must not have a path, query or fragment (scheme://host[:port] only)',
      ],
      [
        'https://example.com#top',
        'must not have a path, query or fragment (scheme://host[:port] only)',
      ],
      ['https://user:pw@example.com', 'must not contain user info'],
      ['https://', 'must have a host'],
      ['https://:8080', 'must have a host'],
      ['https://example.com:99999', 'not a valid origin (bad host or port)'],
      ['file://server', 'file: URLs have no origin'],
    ];
    for (const [value, problem] of cases) {
      assert.equal(
        errorOf(client(`allowed_origins: ["http://ok.example", ${JSON.stringify(value)}]`)),
        `clients[0].allowed_origins[1]: ${problem}`,
        value,
      );
    }
    assert.equal(
      errorOf(client('web_origins: ["https://a.example/x"]')),
      'clients[0].web_origins[0]: must not have a path, query or fragment (scheme://host[:port] only)',
    );
  });

  test('the same origin twice (once normalised) is an error', () => {
    assert.equal(
      errorOf(client('web_origins: ["https://a.example", "HTTPS://A.EXAMPLE:443/"]')),
      'clients[0].web_origins[1]: duplicate origin https://a.example (same as clients[0].web_origins[0])',
    );
    assert.equal(
      errorOf(client('allowed_origins: [""]')),
      'clients[0].allowed_origins[0]: must not be empty',
    );
  });
});

describe('client_grants', () => {
  const grants = (list: string) => errorOf(`client_grants: ${list}`);

  test('schema: required fields, types and unknown fields', () => {
    assert.equal(
      grants('[{ client_id: a, audience: https://api }]'),
      'client_grants[0].scope: missing required field',
    );
    assert.equal(
      grants('[{ client_id: a, audience: https://api, scope: "read" }]'),
      'client_grants[0].scope: expected array, got string',
    );
    assert.equal(
      grants('[{ client_id: a, audience: https://api, scope: [], scopes: [] }]'),
      'client_grants[0].scopes: unknown field',
    );
  });

  test('one grant per client and audience; no scope twice', () => {
    assert.equal(
      grants(
        '[{ client_id: a, audience: https://api, scope: [] }, { client_id: b, audience: https://api, scope: [] }, { client_id: a, audience: https://api, scope: [x] }]',
      ),
      'client_grants[2]: duplicate grant for the same client_id and audience (same as client_grants[0])',
    );
    assert.equal(
      grants('[{ client_id: a, audience: https://api, scope: [x, y, x] }]'),
      'client_grants[0].scope[2]: duplicate scope (same as client_grants[0].scope[0])',
    );
  });
});

describe('grant_types', () => {
  const grantTypes = (method: string, list: string) =>
    errorOf(
      `clients: [{ client_id: a, name: A, token_endpoint_auth_method: ${method}, grant_types: ${list} }]`,
    );

  test('every grant type Auth0 lists imports, ours and the ones Latchkey does not serve', () => {
    const all = [...AUTH0_GRANT_TYPES].map((grantType) => JSON.stringify(grantType)).join(', ');
    const file = yamlTenant(
      `clients: [{ client_id: a, name: A, client_secret: s, grant_types: [${all}] }]`,
    );
    assert.deepEqual(file.clients?.[0]?.grant_types, [...AUTH0_GRANT_TYPES]);
    assert.ok(AUTH0_GRANT_TYPES.has('http://auth0.com/oauth/grant-type/password-realm'));
  });

  test('an unknown grant type is refused in Auth0 words, naming every bad value', () => {
    assert.equal(
      grantTypes('client_secret_post', '[password, pasword, passwordless]'),
      'clients[0].grant_types: Invalid grant types: pasword, passwordless',
    );
    assert.equal(
      grantTypes('client_secret_post', `["${'x'.repeat(5000)}"]`),
      `clients[0].grant_types: Invalid grant types: ${'x'.repeat(100)}…`,
    );
  });

  test('a grant type listed twice is refused; a long list of bad ones is cut', () => {
    assert.equal(
      grantTypes('client_secret_post', '[password, refresh_token, password]'),
      'clients[0].grant_types[2]: duplicate grant type (same as clients[0].grant_types[0])',
    );
    assert.equal(
      grantTypes('client_secret_post', '["\\e[31mRED"]'),
      'clients[0].grant_types: Invalid grant types: \\u001b[31mRED',
      'a terminal escape is shown, not obeyed',
    );
    const many = Array.from({ length: 12 }, (_, i) => `bad${i}`).join(', ');
    assert.equal(
      grantTypes('client_secret_post', `[${many}]`),
      'clients[0].grant_types: Invalid grant types: bad0, bad1, bad2, bad3, bad4, bad5, bad6, bad7, bad8, bad9 and 2 more',
    );
  });

  test('client_credentials needs a confidential client', () => {
    assert.equal(
      grantTypes('none', '[password, client_credentials]'),
      'clients[0].grant_types: Invalid grant types: client_credentials (not for a client whose token_endpoint_auth_method is none)',
    );
    const confidential = yamlTenant(
      'clients: [{ client_id: a, name: A, client_secret: s, grant_types: [client_credentials] }]',
    );
    assert.deepEqual(confidential.clients?.[0]?.grant_types, ['client_credentials']);
  });
});

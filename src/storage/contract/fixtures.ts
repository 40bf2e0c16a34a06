/**
 * @module storage/contract/fixtures
 *
 * Complete, valid records for the contract suite. Each builder takes overrides so a test
 * states only the fields it is about.
 */

import {
  type Client,
  type ClientGrant,
  type Connection,
  DEFAULT_REFRESH_TOKEN_POLICY,
  type LogEvent,
  type OpaqueAccessToken,
  type RefreshToken,
  type ResourceServer,
  type SigningKey,
  type User,
} from '../models.js';
import type { GateRule } from '../storage.js';

const CREATED = '2026-01-01T00:00:00.000Z';

/** A database-connection user with an email, metadata and a password hash. */
export function aUser(overrides: Partial<User> = {}): User {
  return {
    user_id: 'auth0|ada',
    connection: 'Username-Password-Authentication',
    email: 'ada@example.com',
    username: null,
    email_verified: true,
    name: 'Ada Lovelace',
    given_name: 'Ada',
    family_name: 'Lovelace',
    nickname: 'ada',
    picture: null,
    app_metadata: { roles: ['admin'], plan: { tier: 'pro', seats: 3 } },
    user_metadata: { theme: 'dark' },
    blocked: false,
    password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
    created_at: CREATED,
    updated_at: CREATED,
    ...overrides,
  };
}

/** A confidential client using `client_secret_post`. */
export function aClient(overrides: Partial<Client> = {}): Client {
  return {
    client_id: 'client-a',
    name: 'Client A',
    app_type: 'non_interactive',
    grant_types: ['password', 'http://auth0.com/oauth/grant-type/password-realm'],
    token_endpoint_auth_method: 'client_secret_post',
    client_secret_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$c2VjcmV0',
    client_authentication_methods: null,
    is_token_endpoint_ip_header_trusted: false,
    jwt_configuration: { lifetime_in_seconds: 36000, alg: 'RS256' },
    refresh_token: { ...DEFAULT_REFRESH_TOKEN_POLICY },
    allowed_origins: [],
    web_origins: [],
    require_proof_of_possession: false,
    ...overrides,
  };
}

/** A `private_key_jwt` client with one registered public key. */
export function aPrivateKeyJwtClient(overrides: Partial<Client> = {}): Client {
  const credential = {
    id: 'cred-1',
    name: 'ci key',
    credential_type: 'public_key' as const,
    pem: '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n',
    alg: 'RS256' as const,
  };
  return aClient({
    client_id: 'client-jwt',
    token_endpoint_auth_method: 'private_key_jwt',
    client_secret_hash: null,
    client_authentication_methods: { private_key_jwt: { credentials: [credential] } },
    is_token_endpoint_ip_header_trusted: true,
    ...overrides,
  });
}

/** A database connection enabled for one client. */
export function aConnection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'con_1',
    name: 'Username-Password-Authentication',
    strategy: 'auth0',
    enabled_clients: ['client-a'],
    options: { requires_username: false },
    ...overrides,
  };
}

/** An API with two scopes. */
export function aResourceServer(overrides: Partial<ResourceServer> = {}): ResourceServer {
  return {
    id: 'rs_1',
    identifier: 'https://api.example.com/',
    name: 'Example API',
    scopes: [
      { value: 'read:things', description: 'Read things' },
      { value: 'write:things', description: 'Write things' },
    ],
    token_lifetime: 86400,
    allow_offline_access: false,
    signing_alg: 'RS256',
    token_dialect: 'access_token',
    proof_of_possession: null,
    ...overrides,
  };
}

/** A signing key announced as `next`. */
export function aSigningKey(overrides: Partial<SigningKey> = {}): SigningKey {
  return {
    kid: 'kid-1',
    alg: 'RS256',
    status: 'next',
    private_key_pem: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
    certificate: 'MIIC',
    created_at: CREATED,
    status_changed_at: CREATED,
    ...overrides,
  };
}

/** An opaque access token expiring at epoch second 2000. */
export function anAccessToken(overrides: Partial<OpaqueAccessToken> = {}): OpaqueAccessToken {
  return {
    token_hash: 'hash-1',
    client_id: 'client-a',
    user_id: 'auth0|ada',
    scope: 'openid profile',
    expires_at: 2000,
    dpop_jkt: null,
    ...overrides,
  };
}

/** A grant letting `client-a` get tokens for the example API with one scope. */
export function aClientGrant(overrides: Partial<ClientGrant> = {}): ClientGrant {
  return {
    id: 'cgr_1',
    client_id: 'client-a',
    audience: 'https://api.example.com/',
    scope: ['read:things'],
    ...overrides,
  };
}

/** An active refresh token of family `fam-1`, expiring at 10000 (idle at 5000). */
export function aRefreshToken(overrides: Partial<RefreshToken> = {}): RefreshToken {
  return {
    token_hash: 'rt-1',
    family_id: 'fam-1',
    client_id: 'client-a',
    user_id: 'auth0|ada',
    audience: 'https://api.example.com/',
    scope: 'openid offline_access read:things',
    created_at: 1000,
    expires_at: 10000,
    idle_expires_at: 5000,
    status: 'active',
    rotated_at: null,
    successor_hash: null,
    leeway_used: false,
    dpop_jkt: null,
    ...overrides,
  };
}

/** A tenant-log event with no client, IP, user or connection: a failed login at `date`. */
export function aLogEvent(overrides: Partial<LogEvent> = {}): LogEvent {
  return {
    log_id: 'log-1',
    type: 'fp',
    date: CREATED,
    description: 'Wrong email or password.',
    client_id: null,
    ip: null,
    client_ip: null,
    user_id: null,
    user_name: null,
    connection: null,
    details: {},
    ...overrides,
  };
}

/** A per-IP brute-force gate rule for Ada at `now` (epoch seconds): limit 3, lease 60 s. */
export function aGateRule(now: number, overrides: Partial<GateRule> = {}): GateRule {
  return {
    kind: 'pair',
    user_id: 'auth0|ada',
    ip: '203.0.113.1',
    limit: 3,
    overflow: false,
    forgetBefore: now - 1000,
    leaseUntil: now + 60,
    ...overrides,
  };
}

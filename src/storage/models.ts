/**
 * @module storage/models
 *
 * The records Latchkey persists. Field names follow Auth0's Management API (`/api/v2`) so the
 * same objects can later be served from there. Secrets appear only as hashes.
 */

/** Tenant-wide settings (Auth0 `GET /api/v2/tenants/settings`, the subset we use). */
export interface TenantSettings {
  /** Connection name used by `grant_type=password`. */
  default_directory: string | null;
  /** API identifier used when a request names no audience. */
  default_audience: string | null;
  friendly_name: string;
  /** `compatibility` lets the RFC 8707 `resource` parameter stand in for `audience`. */
  resource_parameter_profile: 'audience' | 'compatibility';
}

export type AppType = 'non_interactive' | 'regular_web' | 'native' | 'spa';

export type TokenEndpointAuthMethod =
  | 'client_secret_post'
  | 'client_secret_basic'
  | 'private_key_jwt'
  | 'none';

/** A public key registered for `private_key_jwt` (Auth0 "credentials"). */
export interface ClientCredential {
  /** Stable identifier; `kid` of the key when it is given as a JWK. */
  id: string;
  name: string;
  credential_type: 'public_key';
  /** SPKI PEM (a JWK in the tenant file is converted to PEM on import). */
  pem: string;
  alg: 'RS256' | 'RS384' | 'PS256';
}

/**
 * Refresh-token settings of a client (Auth0's `refresh_token` object). Lifetimes in seconds.
 * `token_lifetime` is absolute from the first token of a family and not extended by rotation;
 * `idle_token_lifetime` restarts at every use; `leeway` is how long the immediately previous
 * token of a rotating family still works, once, returning the same successor.
 */
export interface RefreshTokenPolicy {
  rotation_type: 'rotating' | 'non-rotating';
  expiration_type: 'expiring' | 'non-expiring';
  leeway: number;
  token_lifetime: number;
  infinite_token_lifetime: boolean;
  idle_token_lifetime: number;
  infinite_idle_token_lifetime: boolean;
}

/** Auth0's defaults for a client that declares no `refresh_token` settings. */
export const DEFAULT_REFRESH_TOKEN_POLICY: Readonly<RefreshTokenPolicy> = {
  rotation_type: 'non-rotating',
  expiration_type: 'non-expiring',
  leeway: 0,
  token_lifetime: 2_592_000,
  infinite_token_lifetime: false,
  idle_token_lifetime: 1_296_000,
  infinite_idle_token_lifetime: false,
};

export interface Client {
  client_id: string;
  name: string;
  app_type: AppType;
  grant_types: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  /** argon2id PHC string of the secret; null for `none` and `private_key_jwt` clients. */
  client_secret_hash: string | null;
  client_authentication_methods: { private_key_jwt: { credentials: ClientCredential[] } } | null;
  is_token_endpoint_ip_header_trusted: boolean;
  jwt_configuration: { lifetime_in_seconds: number; alg: 'RS256' };
  refresh_token: RefreshTokenPolicy;
  /** Origins allowed to call the Authentication API from a browser (CORS). */
  allowed_origins: string[];
  /** Origins allowed for web message / cross-origin authentication; also allowed for CORS. */
  web_origins: string[];
  /** Auth0's flag: no token is issued without a DPoP proof. */
  require_proof_of_possession: boolean;
}

/** Permission for a client to get tokens for an API by itself (client credentials). */
export interface ClientGrant {
  id: string;
  client_id: string;
  /** API identifier. */
  audience: string;
  scope: string[];
}

export interface ResourceServerScope {
  value: string;
  description: string;
}

/** Auth0's `proof_of_possession` of an API (sender constraining; only DPoP here). */
export interface ProofOfPossessionPolicy {
  mechanism: 'dpop';
  /** When true, no token is issued without a proof for the clients `required_for` names. */
  required: boolean;
  required_for: 'all_clients' | 'public_clients';
}

export interface ResourceServer {
  id: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScope[];
  /** Access-token lifetime in seconds (Auth0 default 86400). */
  token_lifetime: number;
  allow_offline_access: boolean;
  signing_alg: 'RS256' | 'PS256';
  token_dialect: 'access_token' | 'rfc9068_profile';
  /** Null: the API does not sender-constrain its tokens (a DPoP proof then binds nothing). */
  proof_of_possession: ProofOfPossessionPolicy | null;
}

export interface Connection {
  id: string;
  name: string;
  strategy: 'auth0';
  enabled_clients: string[];
  options: { requires_username: boolean; mfa?: ConnectionMfaOptions };
}

/**
 * Per-connection MFA override. `active` is Auth0's flag (default true; false: never ask MFA
 * for this connection's users); `required` is Latchkey's (true: always ask, whatever the
 * tenant policy).
 */
export interface ConnectionMfaOptions {
  active: boolean;
  required: boolean;
}

export interface User {
  user_id: string;
  /** Connection name. */
  connection: string;
  email: string | null;
  username: string | null;
  email_verified: boolean;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  nickname: string | null;
  picture: string | null;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  blocked: boolean;
  /** argon2id or bcrypt hash; null when the user has no password. */
  password_hash: string | null;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601. */
  updated_at: string;
}

/** How many users of a connection have a password hash of one cost profile. */
export interface PasswordHashProfileCount {
  connection: string;
  /** The canonical profile (`accounts/hash-profile`), e.g. `$2b$10$`. */
  profile: string;
  users: number;
}

/** Lifecycle of a signing key, as in Auth0's signing-keys API. */
export type SigningKeyStatus = 'next' | 'current' | 'previous' | 'retired';

export interface SigningKey {
  /** RFC 7638 thumbprint of the public key. */
  kid: string;
  alg: 'RS256';
  status: SigningKeyStatus;
  /** PKCS#8 PEM. */
  private_key_pem: string;
  /** Self-signed certificate (base64 DER) for `x5c`. */
  certificate: string;
  /** ISO 8601. */
  created_at: string;
  /** ISO 8601 of the last status change. */
  status_changed_at: string;
}

/** An opaque access token (no audience): usable only at `/userinfo`. Stored by hash. */
export interface OpaqueAccessToken {
  /** SHA-256 (base64url) of the token. */
  token_hash: string;
  client_id: string;
  user_id: string;
  scope: string;
  /** Epoch seconds. */
  expires_at: number;
  /** RFC 7638 thumbprint of the DPoP key the token is bound to, or null for a bearer token. */
  dpop_jkt: string | null;
}

/** Lifecycle of a refresh token. */
export type RefreshTokenStatus = 'active' | 'rotated' | 'revoked';

/**
 * A refresh token, stored by the SHA-256 of its value. Tokens descending from one login share
 * a `family_id`; revoking one revokes the family.
 */
export interface RefreshToken {
  /** SHA-256 (base64url) of the token. */
  token_hash: string;
  family_id: string;
  client_id: string;
  user_id: string;
  /** API identifier, or null for a userinfo-only grant. */
  audience: string | null;
  /** Scopes granted at login (space-separated); a refresh may narrow the access token only. */
  scope: string;
  /** Epoch seconds. */
  created_at: number;
  /** Absolute expiry of the family (epoch seconds), or null when it never expires. */
  expires_at: number | null;
  /** Idle expiry (epoch seconds), renewed at each use, or null. */
  idle_expires_at: number | null;
  status: RefreshTokenStatus;
  /** When it was rotated (epoch seconds). */
  rotated_at: number | null;
  /** Hash of the token that replaced it. */
  successor_hash: string | null;
  /** Whether the leeway retry (one use after rotation) has been spent. */
  leeway_used: boolean;
  /** Thumbprint of the DPoP key the family is bound to (RFC 9449 §5), or null. */
  dpop_jkt: string | null;
}

export type * from './attack-protection-models.js';
export type * from './mfa-models.js';

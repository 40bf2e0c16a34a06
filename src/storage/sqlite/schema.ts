/**
 * @module storage/sqlite/schema
 *
 * Row types of the SQLite tables, as kysely sees them. Arrays and objects are JSON text,
 * booleans are 0/1 integers, instants of expiry are epoch seconds and other instants ISO 8601
 * text. The DDL that creates these tables lives in `migrations/`.
 */
import type { Generated } from 'kysely';
import type {
  AppType,
  LogEvent,
  LoginGate,
  MfaTokenRecord,
  RefreshTokenStatus,
  SigningKeyStatus,
  TenantSettings,
  TokenEndpointAuthMethod,
} from '../models.js';

/** SQLite has no boolean type: 0 is false, 1 is true. */
export type Flag = 0 | 1;

/** The single row (`id` = 1) holding {@link TenantSettings}. */
export interface TenantSettingsTable {
  id: number;
  default_directory: string | null;
  default_audience: string | null;
  friendly_name: string;
  resource_parameter_profile: TenantSettings['resource_parameter_profile'];
}

/** Named integers the storage keeps for itself (e.g. `signing_keys_version`). */
export interface StorageMetaTable {
  name: string;
  value: number;
}

export interface ClientsTable {
  client_id: string;
  name: string;
  app_type: AppType;
  /** JSON array of strings. */
  grant_types: string;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  client_secret_hash: string | null;
  /** JSON object, or null. */
  client_authentication_methods: string | null;
  is_token_endpoint_ip_header_trusted: Flag;
  /** JSON object. */
  jwt_configuration: string;
  /** JSON object (`RefreshTokenPolicy`); rows older than the column hold the default policy. */
  refresh_token: string;
  /** JSON array of origins. */
  allowed_origins: string;
  /** JSON array of origins. */
  web_origins: string;
  require_proof_of_possession: Flag;
}

/** Unique on (`client_id`, `audience`). */
export interface ClientGrantsTable {
  id: string;
  client_id: string;
  audience: string;
  /** JSON array of scope values. */
  scope: string;
}

export interface ConnectionsTable {
  id: string;
  name: string;
  strategy: 'auth0';
  /** JSON array of client ids. */
  enabled_clients: string;
  /** JSON object. */
  options: string;
}

export interface ResourceServersTable {
  id: string;
  identifier: string;
  name: string;
  /** JSON array of `{ value, description }`. */
  scopes: string;
  token_lifetime: number;
  allow_offline_access: Flag;
  signing_alg: 'RS256' | 'PS256';
  token_dialect: 'access_token' | 'rfc9068_profile';
  /** JSON object (`ProofOfPossessionPolicy`), or null. */
  proof_of_possession: string | null;
}

export interface UsersTable {
  user_id: string;
  connection: string;
  email: string | null;
  /** `email` lower-cased in JavaScript (Unicode-aware); unique per connection. */
  email_lower: string | null;
  username: string | null;
  /** `username` lower-cased in JavaScript (Unicode-aware); unique per connection. */
  username_lower: string | null;
  email_verified: Flag;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  nickname: string | null;
  picture: string | null;
  /** JSON object. */
  app_metadata: string;
  /** JSON object. */
  user_metadata: string;
  blocked: Flag;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

export interface SigningKeysTable {
  kid: string;
  alg: 'RS256';
  status: SigningKeyStatus;
  private_key_pem: string;
  certificate: string;
  created_at: string;
  status_changed_at: string;
}

export interface AccessTokensTable {
  token_hash: string;
  client_id: string;
  user_id: string;
  scope: string;
  /** Epoch seconds. */
  expires_at: number;
  dpop_jkt: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  family_id: string;
  client_id: string;
  user_id: string;
  audience: string | null;
  scope: string;
  /** Epoch seconds. */
  created_at: number;
  /** Epoch seconds, or null for never. */
  expires_at: number | null;
  /** Epoch seconds, or null for never. */
  idle_expires_at: number | null;
  status: RefreshTokenStatus;
  /** Epoch seconds. */
  rotated_at: number | null;
  successor_hash: string | null;
  leeway_used: Flag;
  dpop_jkt: string | null;
}

/** Server-side secrets, made once by `getOrCreate` and never changed. */
export interface SecretsTable {
  name: string;
  value: string;
}

export interface ReplayTable {
  key: string;
  /** Epoch seconds. */
  expires_at: number;
}

/** Used DPoP proof identifiers; primary key (`jkt`, `jti_hash`). */
export interface DpopProofsTable {
  jkt: string;
  /** SHA-256 (base64url) of the proof's `jti`. */
  jti_hash: string;
  /** Epoch seconds. */
  expires_at: number;
}

export interface CountersTable {
  key: string;
  value: number;
  /** Epoch seconds. */
  expires_at: number;
}

/** The single row (`id` = 1) of attack-protection settings, as JSON. */
export interface AttackProtectionSettingsTable {
  id: number;
  settings: string;
}

/** Login gates: every field of {@link LoginGate} is a column as it is (epoch seconds). */
export type LoginGatesTable = LoginGate;

/** Users per connection and start of their password hash, kept by triggers on `users`. */
export interface PasswordHashStartsTable {
  connection: string;
  start: string;
  users: number;
}

/** GCRA token buckets; `tat` is the theoretical arrival time in epoch milliseconds. */
export interface RateBucketsTable {
  key: string;
  tat: number;
}

export interface UnblockTicketsTable {
  ticket_hash: string;
  gate_key: string;
  user_id: string;
  expires_at: number;
}

/** A {@link LogEvent} row: `details` as JSON text, and the insertion order. */
export type LogEventsTable = Omit<LogEvent, 'details'> & {
  /** Insertion order. */
  seq: Generated<number>;
  /** JSON object. */
  details: string;
};

/** The single row (`id` = 1) of Guardian settings; lists as JSON text. */
export interface GuardianSettingsTable {
  id: number;
  policies: string;
  factors: string;
}

export interface MfaAuthenticatorsTable {
  id: string;
  user_id: string;
  type: 'otp' | 'email' | 'recovery-code';
  active: Flag;
  otp_secret_sealed: string | null;
  email: string | null;
  recovery_code_hash: string | null;
  created_at: string;
}

/** `mfa_token` records ({@link MfaTokenRecord}), `consumed` as a {@link Flag}. */
export type MfaTokensTable = Omit<MfaTokenRecord, 'consumed'> & { consumed: Flag };

export interface MfaOobChallengesTable {
  oob_code_hash: string;
  mfa_token_hash: string;
  authenticator_id: string;
  binding_code_hash: string;
  /** Epoch seconds. */
  expires_at: number;
  consumed: Flag;
}

/** A token bucket: `spent` attempts, refilled one per interval since `refilled_at`. */
export interface OutboxTable {
  id: string;
  recipient: string;
  subject: string;
  text: string;
  created_at: string;
}

/** Every table of the SQLite database, keyed by table name. */
export interface Database {
  tenant_settings: TenantSettingsTable;
  storage_meta: StorageMetaTable;
  clients: ClientsTable;
  client_grants: ClientGrantsTable;
  connections: ConnectionsTable;
  resource_servers: ResourceServersTable;
  users: UsersTable;
  signing_keys: SigningKeysTable;
  access_tokens: AccessTokensTable;
  refresh_tokens: RefreshTokensTable;
  secrets: SecretsTable;
  replay: ReplayTable;
  dpop_proofs: DpopProofsTable;
  counters: CountersTable;
  attack_protection_settings: AttackProtectionSettingsTable;
  login_gates: LoginGatesTable;
  rate_buckets: RateBucketsTable;
  password_hash_starts: PasswordHashStartsTable;
  unblock_tickets: UnblockTicketsTable;
  log_events: LogEventsTable;
  guardian_settings: GuardianSettingsTable;
  mfa_authenticators: MfaAuthenticatorsTable;
  mfa_tokens: MfaTokensTable;
  mfa_oob_challenges: MfaOobChallengesTable;
  outbox: OutboxTable;
}

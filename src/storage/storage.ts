/**
 * @module storage/storage
 *
 * The storage contract. Protocol code depends only on these narrow interfaces; each engine
 * (SQLite today, PostgreSQL + Redis later) implements all of them and must pass the shared
 * contract suite in `src/storage/contract/`. Times are passed in by the caller (epoch seconds)
 * so that an injected clock governs expiry everywhere.
 */

import type {
  AttackSettingsStore,
  LogEventStore,
  LoginGateStore,
  RateBucketStore,
  UnblockTicketStore,
} from './attack-protection-stores.js';
import type {
  AuthenticatorStore,
  GuardianStore,
  MfaTokenStore,
  OobChallengeStore,
  OutboxStore,
} from './mfa-stores.js';
import type {
  Client,
  ClientGrant,
  Connection,
  OpaqueAccessToken,
  PasswordHashProfileCount,
  RefreshToken,
  ResourceServer,
  SigningKey,
  SigningKeyStatus,
  TenantSettings,
  User,
} from './models.js';

export type * from './attack-protection-stores.js';
export type * from './mfa-stores.js';

export interface TenantSettingsStore {
  /** The settings; defaults (all null, profile `audience`) before anything was written. */
  get(): Promise<TenantSettings>;
  put(settings: TenantSettings): Promise<void>;
}

export interface ClientStore {
  get(clientId: string): Promise<Client | null>;
  list(): Promise<Client[]>;
  /** Inserts or replaces the client with the same `client_id`. */
  upsert(client: Client): Promise<void>;
  delete(clientId: string): Promise<boolean>;
}

export interface ClientGrantStore {
  /** The grant of `clientId` for the API `audience`, if any. */
  find(clientId: string, audience: string): Promise<ClientGrant | null>;
  list(): Promise<ClientGrant[]>;
  /** Inserts or replaces the grant with the same (client_id, audience), keeping its `id`. */
  upsert(grant: ClientGrant): Promise<void>;
  delete(id: string): Promise<boolean>;
}

export interface ConnectionStore {
  getByName(name: string): Promise<Connection | null>;
  list(): Promise<Connection[]>;
  /** Inserts or replaces the connection with the same `name` (keeping its `id`). */
  upsert(connection: Connection): Promise<void>;
  delete(name: string): Promise<boolean>;
}

export interface ResourceServerStore {
  getByIdentifier(identifier: string): Promise<ResourceServer | null>;
  list(): Promise<ResourceServer[]>;
  /** Inserts or replaces the API with the same `identifier` (keeping its `id`). */
  upsert(resourceServer: ResourceServer): Promise<void>;
  delete(identifier: string): Promise<boolean>;
}

export interface UserStore {
  get(userId: string): Promise<User | null>;
  /**
   * The user of `connection` whose email or username equals `identifier`, compared
   * case-insensitively. An email match wins over a username match.
   */
  findByLogin(connection: string, identifier: string): Promise<User | null>;
  findByEmail(connection: string, email: string): Promise<User | null>;
  list(connection?: string): Promise<User[]>;
  /**
   * Inserts or replaces the user with the same `user_id`. Throws {@link UniqueViolation} when
   * another user of the same connection already has the email or username.
   */
  upsert(user: User): Promise<void>;
  /** Atomically replaces the hash only if it still equals `expected`. True when replaced. */
  compareAndSetPasswordHash(userId: string, expected: string, next: string): Promise<boolean>;
  delete(userId: string): Promise<boolean>;
  /**
   * Users per connection and password-hash profile (`hashProfile` of `accounts/hash-profile`),
   * one entry per pair; users without a password or with a hash of no known profile are left
   * out. Counted by the engine, without reading every hash into memory.
   */
  passwordHashProfiles(): Promise<PasswordHashProfileCount[]>;
}

export interface SigningKeyStore {
  list(): Promise<SigningKey[]>;
  insert(key: SigningKey): Promise<void>;
  /** Atomically moves `kid` from `from` to `to`; false when its status was not `from`. */
  transition(
    kid: string,
    from: SigningKeyStatus,
    to: SigningKeyStatus,
    at: string,
  ): Promise<boolean>;
  /** A value that changes whenever any key is inserted or changes status. */
  version(): Promise<string>;
}

export interface AccessTokenStore {
  put(token: OpaqueAccessToken): Promise<void>;
  /** The token with this hash, or null when absent or expired at `now`. */
  get(tokenHash: string, now: number): Promise<OpaqueAccessToken | null>;
  /** Removes tokens expired at `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

export interface RefreshTokenStore {
  insert(token: RefreshToken): Promise<void>;
  get(tokenHash: string): Promise<RefreshToken | null>;
  /**
   * Atomically marks `tokenHash` rotated (at `at`, successor `successor.token_hash`) and inserts
   * `successor`, only if the token is still `active`. Of many concurrent rotations of one token
   * exactly one returns true; the others change nothing and return false.
   */
  rotate(tokenHash: string, successor: RefreshToken, at: number): Promise<boolean>;
  /** Atomically spends the leeway retry of a rotated token; true only the first time. */
  claimLeeway(tokenHash: string): Promise<boolean>;
  /** Sets the idle expiry of an active token (non-rotating tokens renew it at each use). */
  touch(tokenHash: string, idleExpiresAt: number): Promise<void>;
  /** Revokes every token of the family; returns how many were not revoked before. */
  revokeFamily(familyId: string): Promise<number>;
  /** Revokes every token of the user (all clients); returns how many. */
  revokeByUser(userId: string): Promise<number>;
  /** Deletes tokens whose absolute or idle expiry is before `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

/** Server-side secrets made once and kept (e.g. the refresh-token derivation key). */
export interface SecretStore {
  /**
   * The secret called `name`; when there is none yet, `candidate` is stored and returned.
   * Atomic: concurrent callers with different candidates all get the one that was stored.
   */
  getOrCreate(name: string, candidate: string): Promise<string>;
}

export interface ReplayStore {
  /**
   * Records `key` until `expiresAt` unless it is already recorded and unexpired at `now`.
   * Atomic set-if-absent: of many concurrent claims of one key exactly one returns true.
   */
  claim(key: string, expiresAt: number, now: number): Promise<boolean>;
  purgeExpired(now: number): Promise<number>;
}

/** DPoP proof identifiers already used (RFC 9449 §11.1), per key. */
export interface DpopProofStore {
  /**
   * Records the proof `jtiHash` of key `jkt` until `expiresAt`, unless it is recorded and
   * unexpired at `now`. Atomic set-if-absent: of many concurrent claims exactly one is true.
   */
  claim(jkt: string, jtiHash: string, expiresAt: number, now: number): Promise<boolean>;
  purgeExpired(now: number): Promise<number>;
}

export interface CounterStore {
  /**
   * Atomically adds `by` to the counter and returns the new value. A counter expired at `now`
   * restarts from zero; every increment sets its expiry to `expiresAt`.
   */
  increment(key: string, by: number, expiresAt: number, now: number): Promise<number>;
  /** Current value (0 when absent or expired). */
  get(key: string, now: number): Promise<number>;
  reset(key: string): Promise<void>;
  /** Deletes counters expired at `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

/** All stores, plus transactions and lifecycle. */
export interface Storage {
  readonly engine: string;
  readonly tenant: TenantSettingsStore;
  readonly clients: ClientStore;
  readonly clientGrants: ClientGrantStore;
  readonly connections: ConnectionStore;
  readonly resourceServers: ResourceServerStore;
  readonly users: UserStore;
  readonly signingKeys: SigningKeyStore;
  readonly accessTokens: AccessTokenStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly secrets: SecretStore;
  readonly replay: ReplayStore;
  readonly dpopProofs: DpopProofStore;
  readonly counters: CounterStore;
  readonly attackSettings: AttackSettingsStore;
  readonly loginGates: LoginGateStore;
  readonly rateBuckets: RateBucketStore;
  readonly unblockTickets: UnblockTicketStore;
  readonly logEvents: LogEventStore;
  readonly guardian: GuardianStore;
  readonly authenticators: AuthenticatorStore;
  readonly mfaTokens: MfaTokenStore;
  readonly oobChallenges: OobChallengeStore;
  readonly outbox: OutboxStore;
  /**
   * Runs `fn` in one transaction: every store reached through `tx` commits together when `fn`
   * resolves and rolls back when it throws. Transactions do not nest.
   */
  transaction<T>(fn: (tx: Storage) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Thrown by a store when a write would break a uniqueness rule. */
export class UniqueViolation extends Error {
  constructor(readonly field: string) {
    super(`another record already has this ${field}`);
    this.name = 'UniqueViolation';
  }
}

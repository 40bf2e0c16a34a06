/**
 * @module storage/storage
 *
 * The storage contract. Protocol code depends only on these narrow interfaces; each engine
 * (SQLite today, PostgreSQL + Redis later) implements all of them and must pass the shared
 * contract suite in `src/storage/contract/`. Times are passed in by the caller (epoch seconds)
 * so that an injected clock governs expiry everywhere.
 */
import type {
  AttackProtectionSettings,
  Client,
  ClientGrant,
  Connection,
  GuardianSettings,
  LogEvent,
  LoginGate,
  MfaAuthenticator,
  MfaOobChallenge,
  MfaTokenRecord,
  OpaqueAccessToken,
  OutboxMessage,
  RefreshToken,
  ResourceServer,
  SigningKey,
  SigningKeyStatus,
  TenantSettings,
  UnblockTicket,
  User,
} from './models.js';

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

/** Attack-protection settings; null until a tenant file set them (defaults apply). */
export interface AttackSettingsStore {
  get(): Promise<AttackProtectionSettings | null>;
  put(settings: AttackProtectionSettings): Promise<void>;
}

/** What a {@link LoginGateStore.reserve} may admit. Instants in epoch seconds. */
export interface GateRule {
  kind: LoginGate['kind'];
  user_id: string | null;
  ip: string | null;
  /** Failures plus in-flight attempts must stay below this. */
  limit: number;
  /** Past `limit`, still admit one attempt at a time once `locked_until` has passed. */
  overflow: boolean;
  /** Failures at or before this instant no longer count (the gate starts over). */
  forgetBefore: number;
  /** The reservation counts as in flight until then (a crashed attempt frees its slot). */
  leaseUntil: number;
}

/** The outcome of a settled attempt. */
export type GateOutcome = 'success' | 'failure' | 'abandoned';

/**
 * Consecutive-failure gates with atomic reservations: an attempt is admitted before any hash
 * work only while failures plus in-flight attempts stay below the limit, so concurrent
 * attempts can never evaluate more than the limit allows. Changing a user's password hash
 * (any `users` write) deletes that user's gates.
 */
export interface LoginGateStore {
  /** Atomically admits one attempt (true) or refuses it (false), creating the gate if needed. */
  reserve(key: string, rule: GateRule, now: number): Promise<boolean>;
  /**
   * Ends one admitted attempt: success clears the failures, failure adds one at `now`,
   * abandoned only frees the slot. Returns the gate afterwards (null when it is gone).
   */
  settle(key: string, outcome: GateOutcome, now: number): Promise<LoginGate | null>;
  /** Sets when the gate next admits an attempt. */
  lockUntil(key: string, until: number): Promise<void>;
  get(key: string): Promise<LoginGate | null>;
  /** Deletes the gates of a user (of one IP when given); returns how many. */
  clearUser(userId: string, ip?: string): Promise<number>;
  /** Deletes one gate; true when it existed. */
  clear(key: string): Promise<boolean>;
  /** Deletes gates with no failure after `forgetBefore` and no live reservation at `now`. */
  purgeExpired(forgetBefore: number, now: number): Promise<number>;
}

/** Result of taking from a {@link RateBucketStore} bucket. Instants in epoch milliseconds. */
export interface BucketState {
  allowed: boolean;
  /** Whole attempts left after this one. */
  remaining: number;
  /** When the bucket next holds one more attempt. */
  nextAt: number;
}

/**
 * Token buckets kept as GCRA theoretical arrival times, in epoch milliseconds: a bucket of
 * `burst` attempts regaining one every `interval` ms. One statement per take, so concurrent
 * takes never overdraw a bucket.
 */
export interface RateBucketStore {
  take(key: string, burst: number, interval: number, now: number): Promise<BucketState>;
  /** Gives one attempt back (a reservation that turned out not to count). */
  giveBack(key: string, interval: number, now: number): Promise<void>;
  /** Deletes the bucket (it is full again). */
  reset(key: string): Promise<void>;
  /** Deletes buckets that are full again at `now`. */
  purgeFull(now: number): Promise<number>;
}

/** Single-use unblock links, stored by the SHA-256 of their ticket (the link is mailed). */
export interface UnblockTicketStore {
  insert(ticket: UnblockTicket): Promise<void>;
  /** Atomically spends an unexpired ticket; null when unknown, spent or expired. */
  consume(ticketHash: string, now: number): Promise<UnblockTicket | null>;
  /** Deletes tickets expired at `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

/** The tenant log (Auth0 log events), newest first. */
export interface LogEventStore {
  record(event: LogEvent): Promise<void>;
  /** Newest first; `type` filters by event code. */
  list(options?: { type?: string; limit?: number }): Promise<LogEvent[]>;
  /** Deletes events dated before `date` (ISO 8601); returns how many. */
  purgeBefore(date: string): Promise<number>;
}

/** Tenant MFA settings (Guardian policies and factors). */
export interface GuardianStore {
  /** The settings; `{ policies: [], factors: [] }` before anything was written. */
  get(): Promise<GuardianSettings>;
  put(settings: GuardianSettings): Promise<void>;
}

export interface AuthenticatorStore {
  insert(authenticator: MfaAuthenticator): Promise<void>;
  get(id: string): Promise<MfaAuthenticator | null>;
  /** The user's authenticators, oldest first. */
  listByUser(userId: string): Promise<MfaAuthenticator[]>;
  /** Marks it active; false when there is no such authenticator. */
  activate(id: string): Promise<boolean>;
  /**
   * Atomically replaces a recovery code's hash only if it still equals `expected` (consuming
   * the old code). Of concurrent replacements of one code exactly one returns true.
   */
  replaceRecoveryCode(id: string, expected: string, next: string): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Deletes the user's inactive authenticators; returns how many. */
  deleteInactive(userId: string): Promise<number>;
  /** Deletes every authenticator of the user; returns how many. */
  deleteByUser(userId: string): Promise<number>;
}

export interface MfaTokenStore {
  insert(token: MfaTokenRecord): Promise<void>;
  get(tokenHash: string): Promise<MfaTokenRecord | null>;
  /** Atomically marks the token consumed; true only for the first caller. */
  consume(tokenHash: string): Promise<boolean>;
  /** Deletes tokens expired at `now`; returns how many. */
  purgeExpired(now: number): Promise<number>;
}

export interface OobChallengeStore {
  insert(challenge: MfaOobChallenge): Promise<void>;
  get(oobCodeHash: string): Promise<MfaOobChallenge | null>;
  /** Atomically marks the challenge consumed; true only for the first caller. */
  consume(oobCodeHash: string): Promise<boolean>;
  purgeExpired(now: number): Promise<number>;
}

/** The development outbox: messages recorded instead of sent when no SMTP is configured. */
export interface OutboxStore {
  insert(message: OutboxMessage): Promise<void>;
  /** Messages to `to` (or all), oldest first. */
  list(to?: string): Promise<OutboxMessage[]>;
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

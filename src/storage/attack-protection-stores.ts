/**
 * @module storage/attack-protection-stores
 *
 * Store interfaces of attack protection (settings, login gates, token buckets, unblock
 * tickets, the tenant log). Part of the {@link Storage} contract; re-exported by `storage/storage`.
 */
import type { AttackProtectionSettings, LogEvent, LoginGate, UnblockTicket } from './models.js';

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
  /** Records `events` in order, all or none. */
  recordMany(events: readonly LogEvent[]): Promise<void>;
  /** Newest first; `type` filters by event code. */
  list(options?: { type?: string; limit?: number }): Promise<LogEvent[]>;
  /** Deletes events dated before `date` (ISO 8601); returns how many. */
  purgeBefore(date: string): Promise<number>;
}

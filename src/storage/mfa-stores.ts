/**
 * @module storage/mfa-stores
 *
 * Store interfaces of MFA (Guardian settings, authenticators, mfa_tokens, email challenges, the
 * development mail outbox). Part of the storage contract; re-exported by `storage/storage`.
 */
import type {
  GuardianSettings,
  MfaAuthenticator,
  MfaOobChallenge,
  MfaTokenRecord,
  OutboxMessage,
} from './models.js';

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

/**
 * @module storage/mfa-models
 *
 * The MFA records (Guardian settings, authenticators, mfa_tokens, email challenges, the
 * development mail outbox). Re-exported by `storage/models`.
 */

/** A Guardian factor Latchkey offers (Auth0's factor names). */
export type GuardianFactorName = 'otp' | 'email' | 'recovery-code';

/**
 * Tenant MFA settings in Auth0's Guardian shapes: `policies` is `[]` (never) or
 * `["all-applications"]`; `factors` says which factors users may enrol and use.
 */
export interface GuardianSettings {
  policies: Array<'all-applications'>;
  factors: Array<{ name: GuardianFactorName; enabled: boolean }>;
}

/** An enrolled (or enrolling) MFA authenticator of a user. */
export interface MfaAuthenticator {
  /** `totp|dev_…`, `email|dev_…` or `recovery-code|dev_…`, as Auth0 names them. */
  id: string;
  user_id: string;
  type: GuardianFactorName;
  /** False until its first successful verification. */
  active: boolean;
  /** otp: the base32 secret sealed with AES-256-GCM; otherwise null. */
  otp_secret_sealed: string | null;
  /** email: the address codes are sent to; otherwise null. */
  email: string | null;
  /** recovery-code: SHA-256 (base64url) of the current code; otherwise null. */
  recovery_code_hash: string | null;
  /** ISO 8601. */
  created_at: string;
}

/**
 * The state of an `mfa_token`: who passed the password step, for which client, API and
 * scopes. Stored by the SHA-256 of the token; single use once tokens are issued.
 */
export interface MfaTokenRecord {
  token_hash: string;
  user_id: string;
  client_id: string;
  /** API identifier, or null for a userinfo-only grant. */
  audience: string | null;
  /** Scopes granted by the password step (space-separated). */
  scope: string;
  /** `gty` of the original grant (`password`). */
  gty: string;
  /** Thumbprint of the DPoP key the password request was bound to, or null. */
  jkt: string | null;
  /** Epoch seconds. */
  expires_at: number;
  consumed: boolean;
}

/** An out-of-band (email) code sent for an `mfa_token`, redeemed with `oob_code` + `binding_code`. */
export interface MfaOobChallenge {
  /** SHA-256 (base64url) of the `oob_code` given to the client. */
  oob_code_hash: string;
  mfa_token_hash: string;
  authenticator_id: string;
  /** SHA-256 (base64url) of the 6-digit code that was emailed. */
  binding_code_hash: string;
  /** Epoch seconds. */
  expires_at: number;
  consumed: boolean;
}

/** A message recorded by the development outbox instead of being sent. */
export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  /** ISO 8601. */
  created_at: string;
}

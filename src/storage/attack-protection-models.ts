/**
 * @module storage/attack-protection-models
 *
 * The attack-protection records (settings in Auth0's Management API shapes, login gates, the
 * tenant log, unblock tickets). Re-exported by `storage/models`.
 */

/** `brute_force_protection` (Auth0's Management API object). */
export interface BruteForceProtection {
  enabled: boolean;
  /** Consecutive failures of one identifier (from one IP) that block it; 1–100. */
  max_attempts: number;
  mode: 'count_per_identifier_and_ip' | 'count_per_identifier';
  shields: Array<'block' | 'user_notification'>;
  /** IPv4/IPv6 addresses and CIDR ranges never counted. */
  allowlist: string[];
}

/** One `stage` of suspicious-IP throttling: a bucket of `max_attempts`, +1 every `rate` ms. */
export interface ThrottleStage {
  max_attempts: number;
  rate: number;
}

/** `suspicious_ip_throttling` (Auth0's Management API object; only `pre-login` is used). */
export interface SuspiciousIpThrottling {
  enabled: boolean;
  shields: Array<'block' | 'admin_notification'>;
  allowlist: string[];
  stage: { 'pre-login': ThrottleStage };
}

/** Ours: account-wide slowdown after `threshold` consecutive failures from any IP (ms delays). */
export interface AccountThrottling {
  enabled: boolean;
  threshold: number;
  initial_delay: number;
  max_delay: number;
}

/** Ours, after Auth0's platform limit: logins of one user from one IP, a bucket per pair. */
export interface SameUserIpLimit {
  enabled: boolean;
  max_attempts: number;
  /** Milliseconds per regained attempt. */
  rate: number;
}

/** Tenant attack-protection settings. */
export interface AttackProtectionSettings {
  brute_force_protection: BruteForceProtection;
  suspicious_ip_throttling: SuspiciousIpThrottling;
  account_throttling: AccountThrottling;
  same_user_ip_limit: SameUserIpLimit;
}

/**
 * Consecutive-failure state of one login gate: an (identifier, IP) pair, an identifier, or an
 * account. Instants are epoch seconds.
 */
export interface LoginGate {
  key: string;
  kind: 'pair' | 'account';
  /** The user, when the identifier named one. */
  user_id: string | null;
  /** The end-user IP of a per-IP pair, else null. */
  ip: string | null;
  failures: number;
  /** Attempts reserved and not yet settled (while `lease_until` is in the future). */
  in_flight: number;
  lease_until: number;
  last_failure_at: number | null;
  /** No attempt is reserved before this instant (account slowdown). */
  locked_until: number;
}

/** An Auth0-style tenant log event (`GET /api/v2/logs` shape, the fields we fill). */
export interface LogEvent {
  log_id: string;
  type: string;
  /** ISO 8601. */
  date: string;
  description: string;
  client_id: string | null;
  /** End-user IP. */
  ip: string | null;
  /** The direct caller's IP. */
  client_ip: string | null;
  user_id: string | null;
  user_name: string | null;
  connection: string | null;
  details: Record<string, unknown>;
}

/** A single-use unblock link, stored by the SHA-256 of its ticket. */
export interface UnblockTicket {
  ticket_hash: string;
  gate_key: string;
  user_id: string;
  /** Epoch seconds. */
  expires_at: number;
}

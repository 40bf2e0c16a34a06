/**
 * @module events/audit
 *
 * Auth0-style log events for authentication outcomes (`sepft`, `fepft`, `fp`, `fu`, `f`,
 * `limit_*`, …), written as structured log lines and to
 * the tenant log (`log_events`) for the admin API. The store write is fire-and-forget: a
 * request never waits for it and a failed write is only logged. Events carry the reason a
 * client never sees; never a secret (AU-17).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../shared/clock.js';
import { clip } from '../shared/text.js';
import type { LogEvent } from '../storage/models.js';
import type { LogEventStore } from '../storage/storage.js';

/** Auth0 log event type codes used so far (see docs/events.md). */
export type AuditEventType =
  | 'sepft'
  | 'fepft'
  | 'fp'
  | 'fu'
  | 'f'
  | 'sertft'
  | 'fertft'
  | 'ferrt'
  | 'srrt'
  | 'seccft'
  | 'feccft'
  | 'limit_wc'
  | 'limit_mu'
  | 'limit_sul'
  // MFA (issue 5)
  | 'mfar'
  | 'seotpft'
  | 'feotpft'
  | 'seoobft'
  | 'feoobft'
  | 'sercft'
  | 'fercft'
  | 'gd_start_enroll'
  | 'gd_send_email'
  | 'gd_otp_rate_limit_exceed'
  | 'gd_unenroll';

export interface AuditEvent {
  type: AuditEventType;
  description: string;
  client_id?: string;
  user_id?: string;
  /** The login identifier as typed, for failed logins. */
  user_name?: string;
  connection?: string;
  audience?: string;
  scope?: string;
  /** End-user IP (what attack protection counts). */
  ip?: string;
  /** The direct caller's IP, when it differs from `ip` (a trusted backend). */
  client_ip?: string;
  grant_type?: string;
  /** Extra, non-secret facts (e.g. a block's attempt count). */
  details?: Record<string, unknown>;
}

/** Where events go: a log line and the tenant log (the provider has all three). */
export interface AuditTarget {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly storage: { logEvents: LogEventStore };
}

/**
 * Longest text from a request (a typed username, a client_id, a scope…) an event keeps: a 60 KB
 * username must not become a 60 KB log line and tenant-log row on every attempt.
 */
export const MAX_EVENT_TEXT = 512;

/** The fields of an event that hold request values. */
const REQUEST_TEXT = [
  'client_id',
  'user_id',
  'user_name',
  'connection',
  'audience',
  'scope',
  'ip',
  'client_ip',
  'grant_type',
] as const;

const tooLong = (value: string | undefined) => value !== undefined && value.length > MAX_EVENT_TEXT;

/**
 * `event` with every request value over {@link MAX_EVENT_TEXT} characters cut, marked `…`; the
 * event itself when none is (every login records one: no copy then).
 */
function clipped(event: AuditEvent): AuditEvent {
  if (!REQUEST_TEXT.some((field) => tooLong(event[field]))) return event;
  const out = { ...event };
  for (const field of REQUEST_TEXT) {
    const value = out[field];
    if (value !== undefined && tooLong(value)) out[field] = clip(value, MAX_EVENT_TEXT);
  }
  return out;
}

function toLogEvent(event: AuditEvent, clock: Clock): LogEvent {
  const { type, description, client_id, ip, client_ip, user_id, user_name, connection } = event;
  const { audience, scope, grant_type, details } = event;
  return {
    log_id: randomUUID(),
    type,
    date: new Date(clock.now()).toISOString(),
    description,
    client_id: client_id ?? null,
    ip: ip ?? null,
    client_ip: client_ip ?? ip ?? null,
    user_id: user_id ?? null,
    user_name: user_name ?? null,
    connection: connection ?? null,
    details: { ...details, ...(audience && { audience }), ...(scope && { scope }), grant_type },
  };
}

export function audit(target: AuditTarget, received: AuditEvent): void {
  const { logger, clock, storage } = target;
  const event = clipped(received);
  logger.info({ event }, `auth event ${event.type}`);
  storage.logEvents
    .record(toLogEvent(event, clock))
    .catch((err: unknown) => logger.warn({ err, type: event.type }, 'log event not stored'));
}

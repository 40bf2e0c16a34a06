/**
 * @module events/audit
 *
 * Auth0-style log events for authentication outcomes (`sepft`, `fepft`, `fp`, `fu`, `f`), written
 * as structured log lines. They carry the reason a client never sees; never a secret (AU-17).
 */
import type { Logger } from '../observability/logger.js';

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
  ip?: string;
  grant_type?: string;
}

export function audit(logger: Logger, event: AuditEvent): void {
  logger.info({ event }, `auth event ${event.type}`);
}

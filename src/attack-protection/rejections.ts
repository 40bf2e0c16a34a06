/**
 * @module attack-protection/rejections
 *
 * The 429 answers of attack protection, with the rate-limit headers Auth0 documents
 * (`X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` in UNIX seconds, and
 * `Retry-After` in seconds), and the log events that record protection decisions.
 */
import type { ErrorKey } from '../errors/catalogue.js';
import { OAuthError } from '../errors/oauth-error.js';
import { type AuditEventType, audit } from '../events/audit.js';
import type { GrantContext } from '../grants/grant-handler.js';
import type { User } from '../storage/models.js';

/** Who is trying to log in, from where, as every protection step sees it. */
export interface AttemptScope {
  readonly ctx: GrantContext;
  readonly connection: string;
  /** The identifier as typed. */
  readonly identifier: string;
  readonly user: User | null;
  /** Stable key of the account: its user_id, or the folded identifier when unknown. */
  readonly subject: string;
  /** End-user IP (canonical). */
  readonly ip: string;
}

/** A 429 `key` for a limit of `limit` that frees up at `resetAtMs`. */
export function rateLimited(key: ErrorKey, limit: number, resetAtMs: number, nowMs: number) {
  const retryAfter = Math.max(1, Math.ceil((resetAtMs - nowMs) / 1000));
  return new OAuthError(key, {
    headers: {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.ceil(nowMs / 1000) + retryAfter),
      'Retry-After': String(retryAfter),
    },
  });
}

/** Records a protection event for the attempt in `scope`. */
export function protectionEvent(
  scope: AttemptScope,
  type: AuditEventType,
  description: string,
  details: Record<string, unknown> = {},
): void {
  const { ctx } = scope;
  audit(ctx.provider, {
    type,
    description,
    client_id: ctx.client.client_id,
    connection: scope.connection,
    user_id: scope.user?.user_id,
    user_name: scope.identifier,
    ip: scope.ip,
    client_ip: ctx.request.ip,
    grant_type: ctx.grantType,
    details,
  });
}

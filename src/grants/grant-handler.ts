/**
 * @module grants/grant-handler
 *
 * The one interface every grant implements. A grant describes itself (wire name, parameters)
 * and splits its work in two: `validate` reads and authenticates (it may only write
 * authentication bookkeeping), `issue` is the only place tokens are made. The token endpoint
 * finds a grant in the {@link GrantRegistry}; there is no `switch` on grant type.
 */
import type { AuditEventType } from '../events/audit.js';
import type { Provider } from '../provider/provider.js';
import type { Params } from '../shared/params.js';
import type { Client } from '../storage/models.js';

/** A token request as the protocol layer sees it (no HTTP types). */
export interface TokenRequest {
  readonly params: Params;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The caller's IP address (socket peer for now). */
  readonly ip: string;
}

/** The key a valid DPoP proof (RFC 9449) bound this request to. */
export interface ProofBinding {
  /** RFC 7638 SHA-256 thumbprint of the proof's public key. */
  readonly jkt: string;
}

export interface GrantContext {
  readonly provider: Provider;
  readonly request: TokenRequest;
  /** The authenticated client. */
  readonly client: Client;
  readonly grantType: string;
  /** The IP attack protection counts (`attack-protection/end-user-ip`); else `request.ip`. */
  readonly endUserIp?: string;
  /** Present when the request carried a valid DPoP proof; tokens are then bound to its key. */
  readonly proof?: ProofBinding;
}

/** RFC 6749 §5.1 success body, plus Auth0's extras. */
export interface TokenResponse {
  access_token: string;
  /** `DPoP` when the access token is bound to the proof's key (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

export interface GrantHandler<Validated> {
  /** The `grant_type` value this handler answers. */
  readonly grantType: string;
  /** Body parameters the grant reads (for documentation and discovery). */
  readonly parameters: readonly string[];
  /** Log event type recorded when this grant fails (`fepft`, `fertft`, …). */
  readonly failureEvent: AuditEventType;
  /**
   * True when the grant verifies a user's password: a request for it is shed with 503 before
   * any other work when its source has no room in the hash queue (endpoints/token/early-shed).
   */
  readonly verifiesPassword?: boolean;
  validate(ctx: GrantContext): Promise<Validated>;
  issue(ctx: GrantContext, validated: Validated): Promise<TokenResponse>;
}

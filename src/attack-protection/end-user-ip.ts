/**
 * @module attack-protection/end-user-ip
 *
 * The IP address attack protection counts (IP-1…IP-3). It is the caller's address as the HTTP
 * layer resolved it — the socket peer, or the right-most untrusted `X-Forwarded-For` hop when
 * the peer is a declared trusted proxy — unless the client authenticated (any method but
 * `none`) and is trusted to forward its user's address in `auth0-forwarded-for`
 * (`is_token_endpoint_ip_header_trusted`). Any other client's header is ignored. A trusted
 * value that is not one IP literal is a 400, never a counter key.
 */
import { OAuthError } from '../errors/oauth-error.js';
import type { GrantContext, TokenRequest } from '../grants/grant-handler.js';
import type { Client } from '../storage/models.js';
import { canonicalIp } from './ip-address.js';

/** The header a trusted backend uses to pass its end user's IP (Auth0's name). */
export const FORWARDED_FOR_HEADER = 'auth0-forwarded-for';

function parseTrusted(value: string, header: string): string {
  const ip = canonicalIp(value.trim());
  if (ip === null) throw new OAuthError('invalid_forwarded_ip', { params: { header } });
  return ip;
}

/** The end-user IP of a request from the authenticated `client`. */
export function resolveEndUserIp(request: TokenRequest, client: Client): string {
  const forwarded = request.headers[FORWARDED_FOR_HEADER];
  const trusted =
    client.token_endpoint_auth_method !== 'none' && client.is_token_endpoint_ip_header_trusted;
  if (trusted && forwarded !== undefined) {
    if (typeof forwarded !== 'string') {
      throw new OAuthError('invalid_forwarded_ip', { params: { header: FORWARDED_FOR_HEADER } });
    }
    return parseTrusted(forwarded, FORWARDED_FOR_HEADER);
  }
  return parseTrusted(request.ip, 'X-Forwarded-For');
}

/** The end-user IP of a grant's request (the caller's address when none was resolved). */
export function endUserIp(ctx: GrantContext): string {
  return ctx.endUserIp ?? ctx.request.ip;
}

/**
 * @module client-auth/parsers/basic
 *
 * Reads `Authorization: Basic` credentials. Per RFC 6749 §2.3.1 and Appendix B, the client id
 * and secret are form-urlencoded before being joined with `:` and base64-encoded.
 */
import { OAuthError } from '../../errors/oauth-error.js';

export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="latchkey"' };

/** 401 for a failed Basic authentication, with the challenge header of RFC 6749 §5.2. */
export function basicAuthFailure(detail: string): OAuthError {
  return new OAuthError('client_unauthorized', { detail, headers: BASIC_CHALLENGE });
}

/** The Basic credentials, or null when the request has no Basic `Authorization` header. */
export function parseBasicAuthorization(
  header: string | string[] | undefined,
): BasicCredentials | null {
  if (header === undefined) return null;
  if (Array.isArray(header))
    throw new OAuthError('repeated_parameter', { params: { name: 'Authorization' } });
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header);
  if (!match) {
    if (/^Basic\b/i.test(header)) throw basicAuthFailure('malformed Basic header');
    return null; // another scheme (e.g. DPoP, Bearer) is not client authentication
  }
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw basicAuthFailure('Basic credentials without client id');
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw basicAuthFailure('Basic credentials are not form-urlencoded');
  }
}

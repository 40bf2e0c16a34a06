/**
 * @module client-auth/parsers/client-assertion
 *
 * Reads `client_assertion` / `client_assertion_type` (RFC 7523) and, without verifying it yet,
 * the client id the assertion claims to be from (`sub`, which must equal `iss`).
 */
import { decodeJwt } from 'jose';
import { OAuthError } from '../../errors/oauth-error.js';
import { optionalParam, type Params } from '../../shared/params.js';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Longest assertion we look at (a few RSA-signed claims fit in far less). */
const MAX_ASSERTION_LENGTH = 8192;

export interface ClientAssertion {
  /** The compact JWT. */
  jwt: string;
  /** The client id claimed by the unverified assertion. */
  claimedClientId: string;
}

function unauthorized(detail: string): OAuthError {
  return new OAuthError('client_unauthorized', { detail });
}

/** The assertion in the request, or null when there is none. */
export function parseClientAssertion(params: Params): ClientAssertion | null {
  const jwt = optionalParam(params, 'client_assertion');
  const type = optionalParam(params, 'client_assertion_type');
  if (jwt === undefined && type === undefined) return null;
  if (jwt === undefined)
    throw new OAuthError('missing_parameter', { params: { name: 'client_assertion' } });
  if (type !== JWT_BEARER_ASSERTION) throw unauthorized('unsupported client_assertion_type');
  if (jwt.length > MAX_ASSERTION_LENGTH) throw unauthorized('client_assertion too long');
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(jwt);
  } catch {
    throw unauthorized('client_assertion is not a JWT');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '' || claims.iss !== claims.sub) {
    throw unauthorized('client_assertion iss and sub must both be the client id');
  }
  return { jwt, claimedClientId: claims.sub };
}

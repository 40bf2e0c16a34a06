/**
 * @module tokens/access-token
 *
 * JWT access-token claims for an API, in the API's `token_dialect`:
 * - `access_token` (Auth0 profile): header `typ: JWT`; `iss`, `sub`, `aud`, `iat`, `exp`,
 *   `scope`, `azp`, `gty`;
 * - `rfc9068_profile`: header `typ: at+jwt`; `iss`, `sub`, `aud`, `iat`, `exp`, `scope`,
 *   `client_id`, `jti` (RFC 9068 §2.2).
 * `aud` is an array `[api, <issuer>userinfo]` when `openid` was granted.
 */
import { randomToken } from '../shared/crypto.js';
import type { ResourceServer } from '../storage/models.js';
import type { Claims } from './id-token.js';

export interface AccessTokenInput {
  issuer: string;
  userinfoUrl: string;
  api: ResourceServer;
  subject: string;
  clientId: string;
  scopes: readonly string[];
  gty: string;
  /** Epoch seconds. */
  now: number;
}

export function accessTokenClaims(input: AccessTokenInput): {
  typ: 'JWT' | 'at+jwt';
  claims: Claims;
} {
  const { api, now } = input;
  const aud = input.scopes.includes('openid')
    ? [api.identifier, input.userinfoUrl]
    : api.identifier;
  const common = {
    iss: input.issuer,
    sub: input.subject,
    aud,
    iat: now,
    exp: now + api.token_lifetime,
  };
  const scope = input.scopes.join(' ');
  if (api.token_dialect === 'rfc9068_profile') {
    return {
      typ: 'at+jwt',
      claims: { ...common, scope, client_id: input.clientId, jti: randomToken(16) },
    };
  }
  return { typ: 'JWT', claims: { ...common, scope, azp: input.clientId, gty: input.gty } };
}

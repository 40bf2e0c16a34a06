/**
 * @module endpoints/userinfo
 *
 * `/userinfo` (OIDC Core §5.3): the claims of the user an access token was issued for, limited
 * by its scopes. Accepts the opaque tokens issued without an audience and JWT access tokens
 * whose `aud` includes this endpoint (those issued with `openid`).
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import { OAuthError } from '../errors/oauth-error.js';
import type { Provider } from '../provider/provider.js';
import { epochSeconds } from '../shared/clock.js';
import { sha256 } from '../shared/crypto.js';
import { type Claims, userClaims } from '../tokens/id-token.js';

const BEARER_CHALLENGE = 'Bearer realm="latchkey", error="invalid_token"';

function invalidToken(detail: string): OAuthError {
  return new OAuthError('invalid_token', {
    detail,
    headers: { 'WWW-Authenticate': BEARER_CHALLENGE },
  });
}

/** The bearer token of an `Authorization` header. */
export function bearerToken(header: string | string[] | undefined): string {
  const match =
    typeof header === 'string' ? /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header) : null;
  if (!match?.[1]) {
    throw new OAuthError('invalid_token', {
      detail: 'no bearer token',
      headers: { 'WWW-Authenticate': 'Bearer realm="latchkey"' },
    });
  }
  return match[1];
}

async function jwtGrant(
  provider: Provider,
  token: string,
): Promise<{ sub: string; scope: string }> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(provider.keys.jwks), {
      algorithms: ['RS256', 'PS256'],
      issuer: provider.urls.issuer,
      audience: provider.urls.userinfo,
      currentDate: new Date(provider.clock.now()),
    });
    if (typeof payload.sub !== 'string') throw new Error('no sub');
    return { sub: payload.sub, scope: typeof payload.scope === 'string' ? payload.scope : '' };
  } catch {
    throw invalidToken('JWT access token not valid for userinfo');
  }
}

async function opaqueGrant(
  provider: Provider,
  token: string,
): Promise<{ sub: string; scope: string }> {
  const record = await provider.storage.accessTokens.get(
    sha256(token),
    epochSeconds(provider.clock),
  );
  if (!record) throw invalidToken('unknown or expired opaque token');
  return { sub: record.user_id, scope: record.scope };
}

/** The claims for the token in `authorization`. */
export async function userinfo(
  provider: Provider,
  authorization: string | string[] | undefined,
): Promise<Claims> {
  const token = bearerToken(authorization);
  const grant =
    token.split('.').length === 3
      ? await jwtGrant(provider, token)
      : await opaqueGrant(provider, token);
  const user = await provider.storage.users.get(grant.sub);
  if (!user || user.blocked) throw invalidToken('user missing or blocked');
  return userClaims(user, grant.scope.split(' '));
}

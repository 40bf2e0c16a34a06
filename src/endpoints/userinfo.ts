/**
 * @module endpoints/userinfo
 *
 * `/userinfo` (OIDC Core §5.3): the claims of the user an access token was issued for, limited
 * by its scopes. Accepts the opaque tokens issued without an audience and JWT access tokens
 * whose `aud` includes this endpoint (those issued with `openid`). A DPoP-bound token must come
 * as `Authorization: DPoP` with a proof by its key (`dpop/resource-proof.ts`).
 */
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  checkSenderConstraint,
  type PresentedToken,
  presentedToken,
  type ResourceRequest,
  type TokenBinding,
} from '../dpop/resource-proof.js';
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

/** The access token of an `Authorization: Bearer|DPoP` header. */
function accessToken(header: string | string[] | undefined): PresentedToken {
  const presented = presentedToken(header);
  if (presented === null) {
    throw new OAuthError('invalid_token', {
      detail: 'no bearer token',
      headers: { 'WWW-Authenticate': 'Bearer realm="latchkey"' },
    });
  }
  return presented;
}

interface TokenGrant extends TokenBinding {
  sub: string;
  scope: string;
}

/** `cnf.jkt` of a JWT access token, or null. */
function confirmationKey(cnf: unknown): string | null {
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined;
  return typeof jkt === 'string' ? jkt : null;
}

async function jwtGrant(provider: Provider, token: string): Promise<TokenGrant> {
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(provider.keys.jwks), {
      algorithms: ['RS256', 'PS256'],
      issuer: provider.urls.issuer,
      audience: provider.urls.userinfo,
      currentDate: new Date(provider.clock.now()),
    });
    if (typeof payload.sub !== 'string') throw new Error('no sub');
    const client = payload.azp ?? payload.client_id;
    return {
      sub: payload.sub,
      scope: typeof payload.scope === 'string' ? payload.scope : '',
      jkt: confirmationKey(payload.cnf),
      clientId: typeof client === 'string' ? client : undefined,
    };
  } catch {
    throw invalidToken('JWT access token not valid for userinfo');
  }
}

async function opaqueGrant(provider: Provider, token: string): Promise<TokenGrant> {
  const record = await provider.storage.accessTokens.get(
    sha256(token),
    epochSeconds(provider.clock),
  );
  if (!record) throw invalidToken('unknown or expired opaque token');
  return {
    sub: record.user_id,
    scope: record.scope,
    jkt: record.dpop_jkt,
    clientId: record.client_id,
  };
}

/** The claims for the token of the request (a DPoP-bound token needs its proof). */
export async function userinfo(
  provider: Provider,
  request: Omit<ResourceRequest, 'url'>,
): Promise<Claims> {
  const presented = accessToken(request.authorization);
  const { token } = presented;
  const grant =
    token.split('.').length === 3
      ? await jwtGrant(provider, token)
      : await opaqueGrant(provider, token);
  const target = { ...request, url: provider.urls.userinfo };
  await checkSenderConstraint(provider, target, presented, grant);
  const user = await provider.storage.users.get(grant.sub);
  if (!user || user.blocked) throw invalidToken('user missing or blocked');
  return userClaims(user, grant.scope.split(' '));
}

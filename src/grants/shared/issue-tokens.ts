/**
 * @module grants/shared/issue-tokens
 *
 * Token issuance shared by every user grant: a JWT access token for an API (or an opaque token
 * usable only at `/userinfo` when there is no audience), an ID token when `openid` was granted,
 * and the response body. The only place that mints tokens.
 */

import { endUserIp } from '../../attack-protection/end-user-ip.js';
import { senderConstraint } from '../../dpop/binding-policy.js';
import { type AuditEventType, audit } from '../../events/audit.js';
import type { Provider } from '../../provider/provider.js';
import { epochSeconds } from '../../shared/clock.js';
import { randomToken, sha256 } from '../../shared/crypto.js';
import type { Client, ResourceServer, User } from '../../storage/models.js';
import { accessTokenClaims } from '../../tokens/access-token.js';
import { idTokenClaims } from '../../tokens/id-token.js';
import { signJwt } from '../../tokens/jwt-signer.js';
import type { GrantContext, TokenResponse } from '../grant-handler.js';

/** Lifetime of an opaque (userinfo-only) access token, in seconds. */
export const OPAQUE_TOKEN_LIFETIME_S = 86_400;

/** What a grant has established once it validated: who, for which client, API and scopes. */
export interface UserGrant {
  client: Client;
  user: User;
  api: ResourceServer | null;
  scopes: string[];
  /** Auth0's `gty` claim value. */
  gty: string;
  /** The log event recorded when tokens are issued (`sepft`, `sertft`, …). */
  successEvent: AuditEventType;
  /** Authentication methods for the ID token's `amr` (`["mfa"]` after MFA). */
  amr?: readonly string[];
}

async function accessToken(provider: Provider, grant: UserGrant, now: number, jkt: string | null) {
  const { client, user, api, scopes } = grant;
  if (api === null) {
    const token = randomToken(32);
    await provider.storage.accessTokens.put({
      token_hash: sha256(token),
      client_id: client.client_id,
      user_id: user.user_id,
      scope: scopes.join(' '),
      expires_at: now + OPAQUE_TOKEN_LIFETIME_S,
      dpop_jkt: jkt,
    });
    return { token, expiresIn: OPAQUE_TOKEN_LIFETIME_S };
  }
  const { typ, claims } = accessTokenClaims({
    issuer: provider.urls.issuer,
    userinfoUrl: provider.urls.userinfo,
    api,
    subject: user.user_id,
    clientId: client.client_id,
    scopes,
    gty: grant.gty,
    now,
  });
  const payload = jkt === null ? claims : { ...claims, cnf: { jkt } }; // RFC 9449 §6.1
  const { kid, privateKey } = provider.keys.active;
  return {
    token: await signJwt({ alg: api.signing_alg, typ, kid }, payload, privateKey),
    expiresIn: api.token_lifetime,
  };
}

function idToken(provider: Provider, grant: UserGrant, now: number): Promise<string> {
  const { kid, privateKey } = provider.keys.active;
  const claims = idTokenClaims({
    issuer: provider.urls.issuer,
    clientId: grant.client.client_id,
    user: grant.user,
    scopes: grant.scopes,
    now,
    lifetime: grant.client.jwt_configuration.lifetime_in_seconds,
    amr: grant.amr,
  });
  return signJwt({ alg: 'RS256', typ: 'JWT', kid }, claims, privateKey);
}

/**
 * Mints the access (and ID) token for a validated grant, records the success event and builds
 * the response body; `refreshToken`, when given, is returned with them.
 */
export async function issueTokens(
  ctx: GrantContext,
  grant: UserGrant,
  refreshToken?: string,
): Promise<TokenResponse> {
  const { provider } = ctx;
  const now = epochSeconds(provider.clock);
  const openid = grant.scopes.includes('openid');
  const jkt = senderConstraint(ctx, grant.api);
  // both signatures run on the threadpool at the same time
  const [access, id] = await Promise.all([
    accessToken(provider, grant, now, jkt),
    openid ? idToken(provider, grant, now) : undefined,
  ]);
  const response: TokenResponse = {
    access_token: access.token,
    token_type: jkt === null ? 'Bearer' : 'DPoP',
    expires_in: access.expiresIn,
    scope: grant.scopes.join(' '),
  };
  if (id !== undefined) response.id_token = id;
  if (refreshToken !== undefined) response.refresh_token = refreshToken;
  audit(provider, {
    type: grant.successEvent,
    description: 'Successful exchange',
    client_id: grant.client.client_id,
    user_id: grant.user.user_id,
    audience: grant.api?.identifier,
    scope: response.scope,
    ip: endUserIp(ctx),
    client_ip: ctx.request.ip,
    grant_type: ctx.grantType,
  });
  return response;
}

/**
 * @module grants/client-credentials/client-credentials.grant
 *
 * `grant_type=client_credentials` (RFC 6749 §4.4) as Auth0 does it: a confidential client gets
 * a token for an API it holds a client grant for. `sub` is `<client_id>@clients`, `gty` is
 * `client-credentials`; no ID token, no refresh token. No scope asked means every scope of the
 * client grant; asking for more is 403 "Client has not been granted scopes: …".
 */

import { senderConstraint } from '../../dpop/binding-policy.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { audit } from '../../events/audit.js';
import { epochSeconds } from '../../shared/clock.js';
import { optionalParam } from '../../shared/params.js';
import type { ResourceServer } from '../../storage/models.js';
import { accessTokenClaims } from '../../tokens/access-token.js';
import { signJwt } from '../../tokens/jwt-signer.js';
import { parseScope } from '../../tokens/scopes.js';
import type { GrantContext, GrantHandler, TokenResponse } from '../grant-handler.js';
import { requestedAudience } from '../shared/resolve-audience.js';

interface ClientCredentialsGrant {
  api: ResourceServer;
  scopes: string[];
}

async function validate(ctx: GrantContext): Promise<ClientCredentialsGrant> {
  const { storage } = ctx.provider;
  if (ctx.client.token_endpoint_auth_method === 'none') {
    throw new OAuthError('grant_not_allowed', {
      params: { grant_type: ctx.grantType },
      detail: 'public client',
    });
  }
  const audience = requestedAudience(ctx.request.params, await storage.tenant.get());
  if (audience === undefined) throw new OAuthError('no_audience');
  const api = await storage.resourceServers.getByIdentifier(audience);
  if (!api) throw new OAuthError('unknown_audience', { params: { audience } });
  const clientGrant = await storage.clientGrants.find(ctx.client.client_id, audience);
  if (!clientGrant) throw new OAuthError('no_client_grant', { params: { audience } });
  const requested = parseScope(optionalParam(ctx.request.params, 'scope'));
  const missing = requested.filter((s) => !clientGrant.scope.includes(s));
  if (missing.length > 0)
    throw new OAuthError('scopes_not_granted', { params: { scopes: missing.join(' ') } });
  return { api, scopes: requested.length > 0 ? requested : clientGrant.scope };
}

async function issue(
  ctx: GrantContext,
  { api, scopes }: ClientCredentialsGrant,
): Promise<TokenResponse> {
  const { provider, client } = ctx;
  const { typ, claims } = accessTokenClaims({
    issuer: provider.urls.issuer,
    userinfoUrl: provider.urls.userinfo,
    api,
    subject: `${client.client_id}@clients`,
    clientId: client.client_id,
    scopes,
    gty: 'client-credentials',
    now: epochSeconds(provider.clock),
  });
  const jkt = senderConstraint(ctx, api);
  const payload = jkt === null ? claims : { ...claims, cnf: { jkt } }; // RFC 9449 §6.1
  const { kid, privateKey } = provider.keys.active;
  const scope = scopes.join(' ');
  const accessToken = await signJwt({ alg: api.signing_alg, typ, kid }, payload, privateKey);
  audit(provider, {
    type: 'seccft',
    description: 'Successful exchange',
    client_id: client.client_id,
    audience: api.identifier,
    scope,
    ip: ctx.request.ip,
    grant_type: ctx.grantType,
  });
  return {
    access_token: accessToken,
    token_type: jkt === null ? 'Bearer' : 'DPoP',
    expires_in: api.token_lifetime,
    scope,
  };
}

export const clientCredentialsGrant: GrantHandler<ClientCredentialsGrant> = {
  grantType: 'client_credentials',
  parameters: ['audience', 'resource', 'scope'],
  failureEvent: 'feccft',
  validate,
  issue,
};

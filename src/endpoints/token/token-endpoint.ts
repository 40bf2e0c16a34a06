/**
 * @module endpoints/token/token-endpoint
 *
 * `POST /oauth/token` as an ordered list of named steps: grant type present and supported →
 * client authenticated → grant allowed for the client → DPoP proof checked (if sent) → grant
 * validates → grant issues. Cheap checks come before anything that hashes (DS-1).
 */
import { resolveEndUserIp } from '../../attack-protection/end-user-ip.js';
import { authenticateClient } from '../../client-auth/authenticate-client.js';
import { tokenEndpointProof } from '../../dpop/token-endpoint-proof.js';
import { OAuthError } from '../../errors/oauth-error.js';
import type { GrantHandler, TokenRequest, TokenResponse } from '../../grants/grant-handler.js';
import type { GrantRegistry } from '../../provider/grant-registry.js';
import type { Provider } from '../../provider/provider.js';
import { requireParam } from '../../shared/params.js';
import type { Client } from '../../storage/models.js';

function supportedGrant(registry: GrantRegistry, grantType: string): GrantHandler<unknown> {
  const handler = registry.get(grantType);
  if (!handler)
    throw new OAuthError('unsupported_grant_type', { params: { grant_type: grantType } });
  return handler;
}

function grantAllowedForClient(client: Client, grantType: string): void {
  if (!client.grant_types.includes(grantType)) {
    throw new OAuthError('grant_not_allowed', { params: { grant_type: grantType } });
  }
}

/** Runs a token request through the steps and returns the success body. */
export async function handleTokenRequest(
  provider: Provider,
  registry: GrantRegistry,
  request: TokenRequest,
): Promise<TokenResponse> {
  const grantType = requireParam(request.params, 'grant_type');
  const handler = supportedGrant(registry, grantType);
  const client = await authenticateClient(provider, request);
  grantAllowedForClient(client, grantType);
  const endUserIp = resolveEndUserIp(request, client);
  const proof = await tokenEndpointProof(provider, request, client);
  const ctx = { provider, request, client, grantType, endUserIp, ...(proof && { proof }) };
  const validated = await handler.validate(ctx);
  return handler.issue(ctx, validated);
}

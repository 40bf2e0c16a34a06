/**
 * @module grants/shared/authenticate-resource-owner
 *
 * The validation both password grants share: required parameters, audience, connection,
 * password, scopes. The grant supplies only how its connection is found.
 */
import { requireMfaWhenApplicable } from '../../mfa/step-up.js';
import { optionalParam, requireParam } from '../../shared/params.js';
import type { Client, Connection, ResourceServer, TenantSettings } from '../../storage/models.js';
import { grantScopes, parseScope } from '../../tokens/scopes.js';
import type { GrantContext } from '../grant-handler.js';
import type { UserGrant } from './issue-tokens.js';
import { resolveAudience } from './resolve-audience.js';
import { verifyPassword } from './verify-password.js';

/**
 * `offline_access` may be granted when the client may use the refresh-token grant and the API
 * allows offline access (or the token is for `/userinfo` only).
 */
export function offlineAccessAllowed(client: Client, api: ResourceServer | null): boolean {
  return client.grant_types.includes('refresh_token') && (api === null || api.allow_offline_access);
}

export type ConnectionLookup = (ctx: GrantContext, tenant: TenantSettings) => Promise<Connection>;

export async function authenticateResourceOwner(
  ctx: GrantContext,
  findConnection: ConnectionLookup,
): Promise<UserGrant> {
  const { params } = ctx.request;
  const { storage } = ctx.provider;
  const username = requireParam(params, 'username');
  const password = requireParam(params, 'password');
  const tenant = await storage.tenant.get();
  const api = await resolveAudience(storage, params, tenant);
  const connection = await findConnection(ctx, tenant);
  const user = await verifyPassword(ctx, connection, username, password);
  const scopes = grantScopes({
    requested: parseScope(optionalParam(params, 'scope')),
    api,
    offlineAccessAllowed: offlineAccessAllowed(ctx.client, api),
  });
  const grant: UserGrant = {
    client: ctx.client,
    user,
    api,
    scopes,
    gty: 'password',
    successEvent: 'sepft',
  };
  await requireMfaWhenApplicable(ctx, connection, grant);
  return grant;
}

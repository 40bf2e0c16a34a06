/**
 * @module grants/shared/authenticate-resource-owner
 *
 * The validation both password grants share: required parameters, audience, connection,
 * password, scopes. The grant supplies only how its connection is found.
 */
import { optionalParam, requireParam } from '../../shared/params.js';
import type { Connection, TenantSettings } from '../../storage/models.js';
import { grantScopes, parseScope } from '../../tokens/scopes.js';
import type { GrantContext } from '../grant-handler.js';
import type { UserGrant } from './issue-tokens.js';
import { resolveAudience } from './resolve-audience.js';
import { verifyPassword } from './verify-password.js';

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
    offlineAccessAllowed: false, // refresh tokens arrive with issue #3
  });
  return { client: ctx.client, user, api, scopes, gty: 'password' };
}

/**
 * @module grants/password-realm/password-realm.grant
 *
 * `grant_type=http://auth0.com/oauth/grant-type/password-realm`: Auth0's password grant with a
 * `realm` naming the connection, which must be enabled for the client.
 */
import { requireParam } from '../../shared/params.js';
import type { GrantHandler } from '../grant-handler.js';
import { authenticateResourceOwner } from '../shared/authenticate-resource-owner.js';
import { realmConnection } from '../shared/connections.js';
import { issueTokens, type UserGrant } from '../shared/issue-tokens.js';
import { startRefreshFamily } from '../shared/refresh-family.js';

export const PASSWORD_REALM_GRANT = 'http://auth0.com/oauth/grant-type/password-realm';

export const passwordRealmGrant: GrantHandler<UserGrant> = {
  grantType: PASSWORD_REALM_GRANT,
  parameters: ['username', 'password', 'realm', 'audience', 'resource', 'scope'],
  validate: (ctx) =>
    authenticateResourceOwner(ctx, (c) =>
      realmConnection(c.provider.storage, requireParam(c.request.params, 'realm'), c.client),
    ),
  failureEvent: 'fepft',
  verifiesPassword: true,
  issue: async (ctx, grant) => issueTokens(ctx, grant, await startRefreshFamily(ctx, grant)),
};

/**
 * @module grants/password/password.grant
 *
 * `grant_type=password` (RFC 6749 §4.3): the user is looked up in the tenant's default
 * directory. Deprecated by RFC 9700 and OAuth 2.1; kept for Auth0 compatibility, off unless a
 * client lists it in `grant_types`.
 */
import type { GrantHandler } from '../grant-handler.js';
import { authenticateResourceOwner } from '../shared/authenticate-resource-owner.js';
import { defaultDirectory } from '../shared/connections.js';
import { issueTokens, type UserGrant } from '../shared/issue-tokens.js';
import { startRefreshFamily } from '../shared/refresh-family.js';

export const passwordGrant: GrantHandler<UserGrant> = {
  grantType: 'password',
  parameters: ['username', 'password', 'audience', 'resource', 'scope'],
  validate: (ctx) =>
    authenticateResourceOwner(ctx, (c, tenant) =>
      defaultDirectory(c.provider.storage, tenant, c.client),
    ),
  failureEvent: 'fepft',
  verifiesPassword: true,
  issue: async (ctx, grant) => issueTokens(ctx, grant, await startRefreshFamily(ctx, grant)),
};

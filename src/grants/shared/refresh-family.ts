/**
 * @module grants/shared/refresh-family
 *
 * Starts a refresh-token family after a login that was granted `offline_access`.
 */
import { senderConstraint } from '../../dpop/binding-policy.js';
import { epochSeconds } from '../../shared/clock.js';
import { randomToken } from '../../shared/crypto.js';
import { firstRecord, newRefreshTokenValue } from '../../tokens/refresh-tokens.js';
import type { GrantContext } from '../grant-handler.js';
import type { UserGrant } from './issue-tokens.js';

/** The new family's first token, or undefined when `offline_access` was not granted. */
export async function startRefreshFamily(
  ctx: GrantContext,
  grant: UserGrant,
): Promise<string | undefined> {
  if (!grant.scopes.includes('offline_access')) return undefined;
  const value = newRefreshTokenValue();
  const record = firstRecord({
    value,
    familyId: randomToken(16),
    clientId: grant.client.client_id,
    userId: grant.user.user_id,
    audience: grant.api?.identifier ?? null,
    scope: grant.scopes.join(' '),
    policy: grant.client.refresh_token,
    now: epochSeconds(ctx.provider.clock),
    dpopJkt: senderConstraint(ctx, grant.api),
  });
  await ctx.provider.storage.refreshTokens.insert(record);
  return value;
}

/**
 * @module grants/refresh-token/refresh-token.grant
 *
 * `grant_type=refresh_token` (RFC 6749 §6) with Auth0's rotation rules. `validate` checks the
 * token, the user and the requested scope; `issue` rotates (one atomic compare-and-set: of two
 * concurrent uses only one rotates) or renews the idle expiry, then mints the tokens.
 */
import { assertRefreshKey, senderConstraint } from '../../dpop/binding-policy.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { epochSeconds } from '../../shared/clock.js';
import { sha256 } from '../../shared/crypto.js';
import { optionalParam, requireParam } from '../../shared/params.js';
import type { RefreshToken, ResourceServer } from '../../storage/models.js';
import { renewedIdleExpiry, successorRecord, successorValue } from '../../tokens/refresh-tokens.js';
import { OIDC_SCOPES, parseScope } from '../../tokens/scopes.js';
import type { GrantContext, GrantHandler } from '../grant-handler.js';
import { issueTokens, type UserGrant } from '../shared/issue-tokens.js';
import { presentedTokenUse, rotatedTokenUse, type TokenUse } from './refresh-token-state.js';

interface RefreshGrant {
  grant: UserGrant;
  value: string;
  use: TokenUse;
}

async function tokenAudience(
  ctx: GrantContext,
  record: RefreshToken,
): Promise<ResourceServer | null> {
  if (record.audience === null) return null;
  const api = await ctx.provider.storage.resourceServers.getByIdentifier(record.audience);
  if (!api)
    throw new OAuthError('invalid_refresh_token', { detail: 'API of the refresh token is gone' });
  return api;
}

/** The requested scope, which may only narrow the token's scope (never widen it). */
function narrowedScopes(
  ctx: GrantContext,
  record: RefreshToken,
  api: ResourceServer | null,
): string[] {
  const granted = record.scope.split(' ').filter((s) => s !== '');
  const requested = parseScope(optionalParam(ctx.request.params, 'scope'));
  if (requested.some((s) => !granted.includes(s))) throw new OAuthError('scope_exceeds_grant');
  const scopes = requested.length > 0 ? requested : granted;
  if (api === null) return scopes;
  // a scope the API no longer defines is not issued any more (TE-12)
  const current = new Set([...OIDC_SCOPES, 'offline_access', ...api.scopes.map((s) => s.value)]);
  return scopes.filter((s) => current.has(s));
}

async function validate(ctx: GrantContext): Promise<RefreshGrant> {
  const value = requireParam(ctx.request.params, 'refresh_token');
  const use = await presentedTokenUse(
    ctx,
    await ctx.provider.storage.refreshTokens.get(sha256(value)),
  );
  const user = await ctx.provider.storage.users.get(use.record.user_id);
  if (!user) throw new OAuthError('refresh_user_deleted');
  if (user.blocked) throw new OAuthError('refresh_user_blocked');
  assertRefreshKey(ctx, use.record.dpop_jkt);
  const api = await tokenAudience(ctx, use.record);
  senderConstraint(ctx, api); // a policy that forbids the tokens fails before rotating
  const scopes = narrowedScopes(ctx, use.record, api);
  const grant: UserGrant = {
    client: ctx.client,
    user,
    api,
    scopes,
    gty: 'refresh_token',
    successEvent: 'sertft',
  };
  return { grant, value, use };
}

/** The refresh token to return: the successor when rotating, none when not. */
async function nextRefreshToken(
  ctx: GrantContext,
  { value, use }: RefreshGrant,
): Promise<string | undefined> {
  const policy = ctx.client.refresh_token;
  const key = ctx.provider.secrets.refreshTokenKey;
  if (use.kind === 'leeway') return successorValue(value, key);
  const now = epochSeconds(ctx.provider.clock);
  const store = ctx.provider.storage.refreshTokens;
  if (policy.rotation_type === 'non-rotating') {
    const idle = renewedIdleExpiry(policy, now);
    if (idle !== null) await store.touch(use.record.token_hash, idle);
    return undefined;
  }
  const successor = successorValue(value, key);
  if (
    await store.rotate(
      use.record.token_hash,
      successorRecord(use.record, successor, policy, now),
      now,
    )
  ) {
    return successor;
  }
  // Another request rotated this token first: it is now a rotated token like any other.
  const current = await store.get(use.record.token_hash);
  if (current === null)
    throw new OAuthError('invalid_refresh_token', { detail: 'refresh token vanished' });
  await rotatedTokenUse(ctx, current);
  return successor;
}

export const refreshTokenGrant: GrantHandler<RefreshGrant> = {
  grantType: 'refresh_token',
  parameters: ['refresh_token', 'scope'],
  failureEvent: 'fertft',
  validate,
  issue: async (ctx, validated) =>
    issueTokens(ctx, validated.grant, await nextRefreshToken(ctx, validated)),
};

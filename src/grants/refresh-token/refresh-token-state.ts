/**
 * @module grants/refresh-token/refresh-token-state
 *
 * What a presented refresh token is worth: usable as is, usable once more inside the client's
 * leeway (it was just rotated and its successor is still the live token), or a reuse that
 * revokes the whole family (RFC 9700 §4.14.2). Every failure is Auth0's 403 `invalid_grant`
 * "Unknown or invalid refresh token."; the reason is logged.
 */

import { OAuthError } from '../../errors/oauth-error.js';
import { audit } from '../../events/audit.js';
import { epochSeconds } from '../../shared/clock.js';
import type { RefreshToken } from '../../storage/models.js';
import { isExpired } from '../../tokens/refresh-tokens.js';
import type { GrantContext } from '../grant-handler.js';

export type TokenUse =
  /** An active token. */
  | { kind: 'active'; record: RefreshToken }
  /** A rotated token inside the leeway: answer with its (existing) successor. */
  | { kind: 'leeway'; record: RefreshToken };

function invalid(detail: string): OAuthError {
  return new OAuthError('invalid_refresh_token', { detail });
}

async function withinLeeway(
  ctx: GrantContext,
  record: RefreshToken,
  now: number,
): Promise<boolean> {
  const { leeway } = ctx.client.refresh_token;
  if (leeway <= 0 || record.rotated_at === null || now >= record.rotated_at + leeway) return false;
  if (record.successor_hash === null) return false;
  const successor = await ctx.provider.storage.refreshTokens.get(record.successor_hash);
  if (successor?.status !== 'active') return false; // only the immediately previous token
  return ctx.provider.storage.refreshTokens.claimLeeway(record.token_hash);
}

/** Handles the use of a rotated token: the leeway retry, or reuse detection. */
export async function rotatedTokenUse(ctx: GrantContext, record: RefreshToken): Promise<TokenUse> {
  const now = epochSeconds(ctx.provider.clock);
  if (await withinLeeway(ctx, record, now)) return { kind: 'leeway', record };
  const revoked = await ctx.provider.storage.refreshTokens.revokeFamily(record.family_id);
  audit(ctx.provider, {
    type: 'ferrt',
    description: `reuse of a rotated refresh token; family revoked (${revoked} tokens)`,
    client_id: record.client_id,
    user_id: record.user_id,
    ip: ctx.request.ip,
    grant_type: ctx.grantType,
  });
  throw invalid('reused rotated refresh token');
}

/** Classifies the presented token, or throws `invalid_grant`. */
export async function presentedTokenUse(
  ctx: GrantContext,
  record: RefreshToken | null,
): Promise<TokenUse> {
  if (record === null) throw invalid('unknown refresh token');
  if (record.client_id !== ctx.client.client_id) throw invalid('refresh token of another client');
  if (record.status === 'revoked') throw invalid('revoked refresh token');
  if (isExpired(record, epochSeconds(ctx.provider.clock))) throw invalid('expired refresh token');
  if (record.status === 'rotated') return rotatedTokenUse(ctx, record);
  return { kind: 'active', record };
}

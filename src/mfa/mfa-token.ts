/**
 * @module mfa/mfa-token
 *
 * The `mfa_token` handed out with `mfa_required`: an opaque random value (stored by its
 * SHA-256) bound to the user, client, audience, scopes and, when the password request carried
 * a DPoP proof, that proof's key. Valid 10 minutes (Auth0, not configurable); consumed when
 * tokens are issued for it.
 */
import { OAuthError } from '../errors/oauth-error.js';
import type { Provider } from '../provider/provider.js';
import { epochSeconds } from '../shared/clock.js';
import { randomToken, sha256 } from '../shared/crypto.js';
import type { MfaTokenRecord, User } from '../storage/models.js';

/** Lifetime of an `mfa_token`, in seconds. */
export const MFA_TOKEN_LIFETIME_S = 600;

export interface MfaTokenSubject {
  userId: string;
  clientId: string;
  audience: string | null;
  scopes: readonly string[];
  gty: string;
  jkt: string | null;
}

/** Stores a new `mfa_token` for `subject` and returns its value. */
export async function createMfaToken(
  provider: Provider,
  subject: MfaTokenSubject,
): Promise<string> {
  const value = randomToken(32);
  await provider.storage.mfaTokens.insert({
    token_hash: sha256(value),
    user_id: subject.userId,
    client_id: subject.clientId,
    audience: subject.audience,
    scope: subject.scopes.join(' '),
    gty: subject.gty,
    jkt: subject.jkt,
    expires_at: epochSeconds(provider.clock) + MFA_TOKEN_LIFETIME_S,
    consumed: false,
  });
  return value;
}

/** Who a redeemed `mfa_token` stands for. */
export interface RedeemedMfaToken {
  record: MfaTokenRecord;
  user: User;
}

export interface RedeemOptions {
  /** The authenticated client; the token must have been issued to it. */
  clientId?: string;
  /** The DPoP key of the request, when it carried a valid proof. */
  jkt?: string;
  /**
   * Whether a DPoP-bound token needs the same key (default true). The MFA API endpoints do
   * not verify DPoP proofs yet; the grants that turn the token into tokens always check.
   */
  checkKey?: boolean;
}

function malformed(detail: string): OAuthError {
  return new OAuthError('mfa_token_malformed', { detail });
}

/**
 * The record and user of a usable `mfa_token`: known, not consumed, not expired, issued to
 * `options.clientId` (when given) and bound to the same DPoP key (when it is bound).
 */
export async function redeemMfaToken(
  provider: Provider,
  value: string,
  options: RedeemOptions = {},
): Promise<RedeemedMfaToken> {
  const record = await provider.storage.mfaTokens.get(sha256(value));
  if (!record) throw malformed('unknown mfa_token');
  if (record.consumed) throw malformed('mfa_token already used');
  if (record.expires_at <= epochSeconds(provider.clock)) throw new OAuthError('mfa_token_expired');
  if (options.clientId !== undefined && options.clientId !== record.client_id)
    throw malformed('mfa_token of another client');
  if (options.checkKey !== false && record.jkt !== null && record.jkt !== options.jkt)
    throw new OAuthError('mfa_token_key_mismatch');
  const user = await provider.storage.users.get(record.user_id);
  if (!user) throw malformed('user of the mfa_token is gone');
  if (user.blocked) throw new OAuthError('user_blocked');
  return { record, user };
}

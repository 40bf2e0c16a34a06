/**
 * @module dpop/binding-policy
 *
 * Whether tokens are sender-constrained, following Auth0's matrix (configure-sender-
 * constraining): with no audience (userinfo only) a proof binds; with an API, a proof binds
 * only when the API declares `proof_of_possession`. A client with `require_proof_of_possession`
 * gets no token without a proof, nor for an API that cannot constrain; an API with
 * `required: true` gets none without a proof for the clients `required_for` names.
 */
import { OAuthError } from '../errors/oauth-error.js';
import type { GrantContext } from '../grants/grant-handler.js';
import type { Client, ResourceServer } from '../storage/models.js';

function apiRequiresProof(api: ResourceServer | null, client: Client): boolean {
  const policy = api?.proof_of_possession ?? null;
  if (policy === null || !policy.required) return false;
  return policy.required_for === 'all_clients' || client.token_endpoint_auth_method === 'none';
}

/**
 * The thumbprint the tokens of this grant are bound to, or null for bearer tokens. Throws
 * when the policy forbids issuing any token.
 */
export function senderConstraint(ctx: GrantContext, api: ResourceServer | null): string | null {
  const { client, proof } = ctx;
  if (proof === undefined) {
    if (client.require_proof_of_possession)
      throw new OAuthError('dpop_proof_required', { detail: 'the client requires DPoP' });
    if (apiRequiresProof(api, client))
      throw new OAuthError('dpop_proof_required', { detail: 'the API requires DPoP' });
    return null;
  }
  if (api !== null && api.proof_of_possession === null) {
    if (client.require_proof_of_possession)
      throw new OAuthError('dpop_not_supported_by_api', {
        detail: 'client requires DPoP, API has no proof_of_possession',
      });
    return null;
  }
  return proof.jkt;
}

/**
 * A refresh token bound to a key may only be used with a proof by that key (RFC 9449 §5):
 * anything else is Auth0's 403 `invalid_grant`.
 */
export function assertRefreshKey(ctx: GrantContext, boundJkt: string | null): void {
  if (boundJkt === null) return;
  if (ctx.proof === undefined)
    throw new OAuthError('invalid_refresh_token', { detail: 'DPoP-bound token without a proof' });
  if (ctx.proof.jkt !== boundJkt)
    throw new OAuthError('invalid_refresh_token', { detail: 'DPoP proof by another key' });
}

/**
 * @module dpop/token-endpoint-proof
 *
 * DPoP at `POST /oauth/token`: the proof of a request (if it sent one) checked against the
 * token endpoint URL, with a nonce demanded from public clients (Auth0) or from every client
 * (`nonce: all`). Failures become 400 `invalid_dpop_proof` naming the failed check, or 400
 * `use_dpop_nonce` with a `DPoP-Nonce` header.
 */
import type { ErrorKey } from '../errors/catalogue.js';
import { OAuthError } from '../errors/oauth-error.js';
import type { ProofBinding, TokenRequest } from '../grants/grant-handler.js';
import type { Provider } from '../provider/provider.js';
import { epochSeconds } from '../shared/clock.js';
import type { Client } from '../storage/models.js';
import { type DpopCheck, DpopNonceRequired, DpopProofRejected } from './dpop-failure.js';
import { nonces, verifyProof } from './verify-proof.js';

const TOKEN_ERRORS: Readonly<Record<DpopCheck, ErrorKey>> = {
  multiple_headers: 'dpop_multiple_headers',
  malformed: 'dpop_malformed',
  typ: 'dpop_typ',
  alg: 'dpop_alg',
  jwk: 'dpop_jwk',
  signature: 'dpop_signature',
  jti: 'dpop_jti',
  htm: 'dpop_htm',
  htu: 'dpop_htu',
  iat: 'dpop_iat',
  ath: 'dpop_malformed', // never checked at the token endpoint
  replayed: 'dpop_replayed',
};

/** True when `client` must include a server nonce in its proofs. */
export function nonceRequiredFor(provider: Provider, client: Client): boolean {
  return provider.dpop.nonce === 'all' || client.token_endpoint_auth_method === 'none';
}

function tokenEndpointError(err: unknown): unknown {
  if (err instanceof DpopNonceRequired)
    return new OAuthError('dpop_nonce_required', { headers: { 'DPoP-Nonce': err.nonce } });
  if (err instanceof DpopProofRejected)
    return new OAuthError(TOKEN_ERRORS[err.check], { detail: `DPoP ${err.check} check failed` });
  return err;
}

/** The key the request's proof binds to, or undefined when it sent no `DPoP` header. */
export async function tokenEndpointProof(
  provider: Provider,
  request: TokenRequest,
  client: Client,
): Promise<ProofBinding | undefined> {
  const header = request.headers.dpop;
  if (header === undefined) return undefined;
  try {
    return await verifyProof(provider, {
      header,
      method: 'POST',
      url: provider.urls.token,
      nonceRequired: nonceRequiredFor(provider, client),
    });
  } catch (err) {
    throw tokenEndpointError(err);
  }
}

/** The `DPoP-Nonce` header value to send with a response (RFC 9449 §8.2). */
export function freshNonce(provider: Provider): string {
  return nonces(provider).current(epochSeconds(provider.clock));
}

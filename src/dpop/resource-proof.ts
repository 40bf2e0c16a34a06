/**
 * @module dpop/resource-proof
 *
 * DPoP where an access token is used (RFC 9449 §7), for `/userinfo`: the `Authorization`
 * scheme must match the token (`DPoP` for a bound token, `Bearer` for the others), and a bound
 * token needs a proof by its key for this request, carrying `ath`. Failures are 401 with a
 * `WWW-Authenticate: DPoP` challenge; a missing or stale nonce is `use_dpop_nonce` plus a
 * `DPoP-Nonce` header (§9).
 */
import { OAuthError } from '../errors/oauth-error.js';
import type { Provider } from '../provider/provider.js';
import { DpopNonceRequired, DpopProofRejected } from './dpop-failure.js';
import { DPOP_ALGORITHMS } from './dpop-settings.js';
import { verifyProof } from './verify-proof.js';

const ALGS = `algs="${DPOP_ALGORITHMS.join(' ')}"`;
const TOKEN68 = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** An access token and the scheme it came with. */
export interface PresentedToken {
  readonly scheme: 'bearer' | 'dpop';
  readonly token: string;
}

/** What a resource request carries besides the token. */
export interface ResourceRequest {
  readonly authorization: string | string[] | undefined;
  readonly dpop: string | string[] | undefined;
  readonly method: string;
  /** Public URL of the resource (from the issuer). */
  readonly url: string;
}

/** What the token says about its binding. */
export interface TokenBinding {
  /** `cnf.jkt` of the token, or null for a bearer token. */
  readonly jkt: string | null;
  readonly clientId: string | undefined;
}

/** The token of an `Authorization: Bearer|DPoP <token>` header, or null. */
export function presentedToken(header: string | string[] | undefined): PresentedToken | null {
  const match = typeof header === 'string' ? TOKEN68.exec(header) : null;
  if (!match?.[1] || !match[2]) return null;
  return { scheme: match[1].toLowerCase() === 'dpop' ? 'dpop' : 'bearer', token: match[2] };
}

function rejected(detail: string): OAuthError {
  return new OAuthError('dpop_resource_invalid_proof', {
    detail,
    headers: { 'WWW-Authenticate': `DPoP error="invalid_dpop_proof", ${ALGS}` },
  });
}

function schemeMismatch(detail: string): OAuthError {
  return new OAuthError('invalid_token', {
    detail,
    headers: { 'WWW-Authenticate': `DPoP error="invalid_token", ${ALGS}` },
  });
}

function resourceError(err: unknown): unknown {
  if (err instanceof DpopNonceRequired) {
    return new OAuthError('dpop_resource_nonce_required', {
      headers: {
        'WWW-Authenticate':
          'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
        'DPoP-Nonce': err.nonce,
      },
    });
  }
  if (err instanceof DpopProofRejected) return rejected(`DPoP ${err.check} check failed`);
  return err;
}

async function nonceRequired(provider: Provider, clientId: string | undefined): Promise<boolean> {
  if (provider.dpop.nonce === 'all') return true;
  const client = clientId === undefined ? null : await provider.storage.clients.get(clientId);
  return client?.token_endpoint_auth_method === 'none';
}

/** Checks that `presented` may be used as it was sent; throws a 401 {@link OAuthError}. */
export async function checkSenderConstraint(
  provider: Provider,
  request: ResourceRequest,
  presented: PresentedToken,
  binding: TokenBinding,
): Promise<void> {
  if (presented.scheme === 'bearer') {
    if (binding.jkt !== null) throw schemeMismatch('DPoP-bound token presented as Bearer');
    return;
  }
  if (binding.jkt === null) throw schemeMismatch('bearer token presented with the DPoP scheme');
  if (request.dpop === undefined) throw rejected('no DPoP proof');
  let jkt: string;
  try {
    ({ jkt } = await verifyProof(provider, {
      header: request.dpop,
      method: request.method,
      url: request.url,
      nonceRequired: await nonceRequired(provider, binding.clientId),
      accessToken: presented.token,
    }));
  } catch (err) {
    throw resourceError(err);
  }
  if (jkt !== binding.jkt) throw rejected('DPoP proof by another key than the token is bound to');
}

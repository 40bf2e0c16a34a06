/**
 * @module dpop/verify-proof
 *
 * The whole RFC 9449 §4.3 pipeline for one request: the stateless checks of `proof-checks.ts`,
 * then the nonce (§8), then single use of `jti` (an atomic claim in the store, DP-12/13).
 * Returns the key the proof binds to, as its RFC 7638 thumbprint.
 */
import { calculateJwkThumbprint } from 'jose';
import type { ProofBinding } from '../grants/grant-handler.js';
import type { Provider } from '../provider/provider.js';
import { epochSeconds } from '../shared/clock.js';
import { sha256 } from '../shared/crypto.js';
import { DpopNonceRequired, DpopProofRejected } from './dpop-failure.js';
import { NonceService } from './nonce-service.js';
import {
  algAllowed,
  athMatches,
  compactJws,
  htmMatches,
  htuMatchesTarget,
  iatFresh,
  jwkIsPublic,
  type ProofClaims,
  requiredClaims,
  signatureValid,
  singleHeader,
  typIsDpopJwt,
} from './proof-checks.js';

/** What the proof must match. */
export interface ProofTarget {
  /** The raw `DPoP` header value(s). */
  readonly header: string | string[];
  readonly method: string;
  /** Public URL of the endpoint (from the issuer, never from the Host header). */
  readonly url: string;
  /** Whether the proof must carry a fresh server nonce. */
  readonly nonceRequired: boolean;
  /** At a resource: the access token the proof's `ath` must hash. */
  readonly accessToken?: string;
}

/** The nonce service of `provider`. */
export function nonces(provider: Provider): NonceService {
  return new NonceService(provider.secrets.dpopNonceKey, provider.dpop.proofWindowS);
}

/** Nonce and freshness: a missing, unknown or stale nonce, or a stale `iat` once nonces apply. */
function checkFreshness(provider: Provider, claims: ProofClaims, nonceRequired: boolean): void {
  const now = epochSeconds(provider.clock);
  const service = nonces(provider);
  const nonceApplies = nonceRequired || claims.nonce !== undefined;
  const nonceOk = claims.nonce !== undefined && service.isFresh(claims.nonce, now);
  const iatOk = iatFresh(claims, now, provider.dpop.proofWindowS);
  if (nonceApplies && (!nonceOk || !iatOk)) throw new DpopNonceRequired(service.current(now));
  if (!iatOk) throw new DpopProofRejected('iat');
}

/** Records the `jti` for this key; a second use inside the window is a replay. */
async function singleUse(provider: Provider, jkt: string, jti: string): Promise<void> {
  const now = epochSeconds(provider.clock);
  // a proof is acceptable until iat + window <= now + 2 × window
  const expiresAt = now + 2 * provider.dpop.proofWindowS + 1;
  if (!(await provider.storage.dpopProofs.claim(jkt, sha256(jti), expiresAt, now)))
    throw new DpopProofRejected('replayed');
}

/** Runs every check on the proof; throws {@link DpopProofRejected} or {@link DpopNonceRequired}. */
export async function verifyProof(provider: Provider, target: ProofTarget): Promise<ProofBinding> {
  const value = singleHeader(target.header);
  const header = compactJws(value);
  typIsDpopJwt(header);
  algAllowed(header);
  const jwk = jwkIsPublic(header);
  const claims = requiredClaims(await signatureValid(value));
  htmMatches(claims, target.method);
  htuMatchesTarget(claims, target.url);
  if (target.accessToken !== undefined) athMatches(claims, target.accessToken);
  checkFreshness(provider, claims, target.nonceRequired);
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  await singleUse(provider, jkt, claims.jti);
  return { jkt };
}

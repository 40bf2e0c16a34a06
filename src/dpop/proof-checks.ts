/**
 * @module dpop/proof-checks
 *
 * The checks of RFC 9449 §4.3, one small named function each, in the order they run. Each
 * throws {@link DpopProofRejected} naming itself; none echoes anything from the proof. Nonce
 * and replay need server state and live in `verify-proof.ts`.
 */
import {
  compactVerify,
  decodeProtectedHeader,
  EmbeddedJWK,
  type JWK,
  type ProtectedHeaderParameters,
} from 'jose';
import { sha256 } from '../shared/crypto.js';
import { DpopProofRejected } from './dpop-failure.js';
import { DPOP_ALGORITHMS } from './dpop-settings.js';
import { htuMatches } from './htu.js';

/** Longest proof accepted (a 4096-bit RSA `jwk` fits several times). */
const MAX_PROOF_LENGTH = 8192;
/** Longest `jti` accepted; only its hash is stored (DP-12). */
export const MAX_JTI_LENGTH = 256;
/** Three base64url parts; an empty signature is left for the `alg` check to refuse (`none`). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PUBLIC_KEY_TYPES = ['EC', 'RSA', 'OKP'];

/** The claims a proof must carry, once their types are checked. */
export interface ProofClaims {
  readonly jti: string;
  readonly htm: string;
  readonly htu: string;
  readonly iat: number;
  readonly nonce?: string;
  readonly ath?: string;
}

function reject(check: ConstructorParameters<typeof DpopProofRejected>[0]): never {
  throw new DpopProofRejected(check);
}

/** DP-1: exactly one `DPoP` header. Node joins repeated headers with `, `. */
export function singleHeader(value: string | string[]): string {
  if (Array.isArray(value) || value.includes(',')) reject('multiple_headers');
  return value;
}

/** DP-2: one compact JWS with a decodable protected header. */
export function compactJws(value: string): ProtectedHeaderParameters {
  if (value.length > MAX_PROOF_LENGTH || !COMPACT_JWS.test(value)) reject('malformed');
  try {
    return decodeProtectedHeader(value);
  } catch {
    return reject('malformed');
  }
}

/** DP-4: `typ` is exactly `dpop+jwt`. */
export function typIsDpopJwt(header: ProtectedHeaderParameters): void {
  if (header.typ !== 'dpop+jwt') reject('typ');
}

/** DP-5: `alg` is on the asymmetric allowlist. */
export function algAllowed(header: ProtectedHeaderParameters): void {
  if (!(DPOP_ALGORITHMS as readonly unknown[]).includes(header.alg)) reject('alg');
}

/** DP-7: `jwk` is a public key of an asymmetric type, with no private members. */
export function jwkIsPublic(header: ProtectedHeaderParameters): JWK {
  const jwk: unknown = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return reject('jwk');
  const members = Object.keys(jwk);
  if (PRIVATE_MEMBERS.some((name) => members.includes(name))) reject('jwk');
  if (!PUBLIC_KEY_TYPES.includes((jwk as JWK).kty ?? '')) reject('jwk');
  return jwk as JWK;
}

/** DP-6: the signature verifies with the embedded `jwk`; returns the payload bytes. */
export async function signatureValid(proof: string): Promise<Uint8Array> {
  try {
    const { payload } = await compactVerify(proof, EmbeddedJWK, {
      algorithms: [...DPOP_ALGORITHMS],
    });
    return payload;
  } catch {
    return reject('signature');
  }
}

function payloadObject(bytes: Uint8Array): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // falls through
  }
  return reject('malformed');
}

function optionalString(value: unknown, check: 'jti' | 'ath'): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : reject(check);
}

/** DP-3: `jti`, `htm`, `htu`, `iat` present with the right types; `nonce`, `ath` strings. */
export function requiredClaims(bytes: Uint8Array): ProofClaims {
  const claims = payloadObject(bytes);
  const { jti, htm, htu, iat, nonce, ath } = claims;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) reject('jti');
  if (typeof htm !== 'string') reject('htm');
  if (typeof htu !== 'string') reject('htu');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) reject('iat');
  // a non-string nonce is treated like a wrong one by the nonce step
  const nonceValue = typeof nonce === 'string' ? nonce : nonce === undefined ? undefined : '';
  return { jti, htm, htu, iat, nonce: nonceValue, ath: optionalString(ath, 'ath') };
}

/** DP-8: `htm` is the request method. */
export function htmMatches(claims: ProofClaims, method: string): void {
  if (claims.htm !== method) reject('htm');
}

/** DP-9: `htu` is the request URL, ignoring query and fragment, after normalisation. */
export function htuMatchesTarget(claims: ProofClaims, target: string): void {
  if (!htuMatches(claims.htu, target)) reject('htu');
}

/** DP-11: `iat` within `windowS` seconds of `now`, either way. */
export function iatFresh(claims: ProofClaims, now: number, windowS: number): boolean {
  return Math.abs(claims.iat - now) <= windowS;
}

/** RFC 9449 §4.3 item 11: at a resource, `ath` is the hash of the presented access token. */
export function athMatches(claims: ProofClaims, accessToken: string): void {
  if (claims.ath === undefined || claims.ath !== sha256(accessToken)) reject('ath');
}

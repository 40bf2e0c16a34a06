/**
 * @module dpop/dpop-settings
 *
 * Server-wide DPoP (RFC 9449) settings and the algorithms a proof may be signed with. The
 * allowlist is asymmetric only: never `none`, never an HMAC (DP-5).
 */

/**
 * JWS algorithms accepted for DPoP proofs, as published in discovery. `Ed25519` is the fully
 * specified name (RFC 9864) of `EdDSA` over Ed25519, which current clients (`dpop`) emit.
 */
export const DPOP_ALGORITHMS = ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'RS256', 'PS256'] as const;

/** Which clients must put a server nonce in their proofs. */
export type DpopNonceMode = 'public' | 'all';

export interface DpopSettings {
  /**
   * How far a proof's `iat` may be from the server clock, in seconds, either way. It is also
   * the time step of the nonces and bounds how long a `jti` is remembered.
   */
  readonly proofWindowS: number;
  /** `public`: only public clients are challenged for a nonce (Auth0); `all`: every client. */
  readonly nonce: DpopNonceMode;
}

export const DEFAULT_DPOP_SETTINGS: Readonly<DpopSettings> = { proofWindowS: 60, nonce: 'public' };

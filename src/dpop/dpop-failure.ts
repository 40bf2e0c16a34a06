/**
 * @module dpop/dpop-failure
 *
 * What the proof checks throw. A check names itself ({@link DpopCheck}); the caller turns the
 * failure into the right OAuth error for its endpoint (400 at the token endpoint, 401 with a
 * `WWW-Authenticate: DPoP` challenge at a resource). Nothing from the proof is carried along.
 */

/** The check that rejected a proof. */
export type DpopCheck =
  | 'multiple_headers'
  | 'malformed'
  | 'typ'
  | 'alg'
  | 'jwk'
  | 'signature'
  | 'jti'
  | 'htm'
  | 'htu'
  | 'iat'
  | 'ath'
  | 'replayed';

/** A proof failed `check`. */
export class DpopProofRejected extends Error {
  constructor(readonly check: DpopCheck) {
    super(`DPoP proof rejected by the ${check} check`);
    this.name = 'DpopProofRejected';
  }
}

/** The proof needs a (fresh) server nonce: answer `use_dpop_nonce` with `nonce`. */
export class DpopNonceRequired extends Error {
  constructor(readonly nonce: string) {
    super('DPoP proof needs a fresh server nonce');
    this.name = 'DpopNonceRequired';
  }
}

/**
 * @module keys/jwks
 *
 * The public JWKS document in Auth0's shape: `kty`, `use`, `alg`, `n`, `e`, `kid`, `x5t` (SHA-1
 * of the certificate, base64url) and `x5c`.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { SigningKey } from '../storage/models.js';

export interface PublicJwk {
  kty: 'RSA';
  use: 'sig';
  alg: string;
  n: string;
  e: string;
  kid: string;
  x5t: string;
  x5c: string[];
}

/** The public JWK of a stored signing key. */
export function publicJwk(
  key: SigningKey,
  publicKey: KeyObject = createPublicKey(key.private_key_pem),
): PublicJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  const der = Buffer.from(key.certificate, 'base64');
  return {
    kty: 'RSA',
    use: 'sig',
    alg: key.alg,
    n: String(jwk.n),
    e: String(jwk.e),
    kid: key.kid,
    x5t: createHash('sha1').update(der).digest('base64url'),
    x5c: [key.certificate],
  };
}

/**
 * @module tenant/credentials
 *
 * `private_key_jwt` credentials from a tenant file: a JWK or a PEM public key, checked (RSA,
 * at least 2048 bits, public only) and normalised to an SPKI PEM with a stable id.
 */
import { createHash, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { ClientCredential } from '../storage/models.js';
import { TENANT_DEFAULTS, type TenantFileCredential } from './schema.js';
import { formatPath, type PathSegment, TenantFileError } from './tenant-file-error.js';

/** JWK members that carry private or symmetric key material. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

/** Smallest RSA modulus accepted, in bits. */
export const MIN_RSA_BITS = 2048;

/** RFC 7638 SHA-256 thumbprint (base64url) of an RSA public key. */
export function rsaThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}

function keyFromJwk(jwk: Record<string, unknown>, path: PathSegment[]): KeyObject {
  const where = formatPath([...path, 'jwk']);
  const member = PRIVATE_JWK_MEMBERS.find((name) => name in jwk);
  if (member) {
    throw new TenantFileError(
      `private key member "${member}" is not allowed in a public key`,
      where,
    );
  }
  try {
    return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch (error) {
    throw new TenantFileError(`not a valid public JWK (${reason(error)})`, where);
  }
}

function keyFromPem(pem: string, path: PathSegment[]): KeyObject {
  const where = formatPath([...path, 'pem']);
  if (/PRIVATE KEY/.test(pem)) {
    throw new TenantFileError('must be a public key (SPKI PEM), not a private key', where);
  }
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new TenantFileError(`not a valid PEM public key (${reason(error)})`, where);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkRsa(key: KeyObject, where: string): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new TenantFileError(
      `must be an RSA key, got ${key.asymmetricKeyType ?? 'unknown'}`,
      where,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new TenantFileError(`RSA key must be at least ${MIN_RSA_BITS} bits, got ${bits}`, where);
  }
}

/**
 * Converts one credential of the tenant file into the stored form. `path` locates it in the
 * file (e.g. `['clients', 0, 'client_authentication_methods', 'private_key_jwt',
 * 'credentials', 1]`). The id is `kid`, else the JWK's own `kid`, else the RFC 7638
 * thumbprint. Throws {@link TenantFileError}.
 */
export function toClientCredential(
  credential: TenantFileCredential,
  path: PathSegment[],
): ClientCredential {
  const { pem, jwk } = credential;
  if ((pem === undefined) === (jwk === undefined)) {
    throw new TenantFileError('exactly one of pem or jwk is required', formatPath(path));
  }
  const key = jwk !== undefined ? keyFromJwk(jwk, path) : keyFromPem(pem!, path);
  checkRsa(key, formatPath([...path, jwk !== undefined ? 'jwk' : 'pem']));
  const jwkKid = typeof jwk?.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined;
  return {
    id: credential.kid ?? jwkKid ?? rsaThumbprint(key),
    name: credential.name ?? '',
    credential_type: credential.credential_type ?? TENANT_DEFAULTS.credential_type,
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
    alg: credential.alg ?? TENANT_DEFAULTS.credential_alg,
  };
}

/**
 * @module keys/generate-signing-key
 *
 * Makes a new RS256 signing key: a 2048-bit RSA key pair, its RFC 7638 thumbprint as `kid`, and
 * a self-signed certificate so the JWKS can carry `x5c`/`x5t` (some verifiers read only those).
 */
import 'reflect-metadata'; // required by @peculiar/x509 (tsyringe); must load first
import { generateKeyPair, type KeyObject, webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import * as x509 from '@peculiar/x509';
import { calculateJwkThumbprint } from 'jose';
import type { SigningKey, SigningKeyStatus } from '../storage/models.js';

const generateRsa = promisify(generateKeyPair);
const CERT_ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/** The RFC 7638 thumbprint of an RSA public key, used as its `kid`. */
export async function rsaThumbprint(publicKey: KeyObject): Promise<string> {
  const jwk = publicKey.export({ format: 'jwk' });
  return calculateJwkThumbprint({ kty: 'RSA', n: String(jwk.n), e: String(jwk.e) });
}

async function selfSignedCertificate(
  privateKey: KeyObject,
  publicKey: KeyObject,
  kid: string,
  now: Date,
): Promise<string> {
  const subtle = webcrypto.subtle;
  const keys = {
    privateKey: await subtle.importKey(
      'pkcs8',
      privateKey.export({ type: 'pkcs8', format: 'der' }),
      CERT_ALG,
      false,
      ['sign'],
    ),
    publicKey: await subtle.importKey(
      'spki',
      publicKey.export({ type: 'spki', format: 'der' }),
      CERT_ALG,
      true,
      ['verify'],
    ),
  };
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(kid, 'base64url').subarray(0, 16).toString('hex'),
      name: `CN=latchkey-${kid.slice(0, 16)}`,
      notBefore: now,
      notAfter: new Date(now.getTime() + TEN_YEARS_MS),
      signingAlgorithm: CERT_ALG,
      keys,
    },
    webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[1],
  );
  return Buffer.from(cert.rawData).toString('base64');
}

/** Generates a new key with the given status. */
export async function generateSigningKey(status: SigningKeyStatus, now: Date): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const kid = await rsaThumbprint(publicKey);
  const iso = now.toISOString();
  return {
    kid,
    alg: 'RS256',
    status,
    private_key_pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate: await selfSignedCertificate(privateKey, publicKey, kid, now),
    created_at: iso,
    status_changed_at: iso,
  };
}

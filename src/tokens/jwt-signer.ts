/**
 * @module tokens/jwt-signer
 *
 * Compact JWS signing with synchronous node:crypto. It runs on the main thread in well under a
 * millisecond, instead of queueing on the libuv threadpool behind password hashes as
 * WebCrypto-based signing would (see docs/adr/0002-signing-with-node-crypto.md).
 */
import { constants, type KeyObject, sign } from 'node:crypto';

export type SigningAlg = 'RS256' | 'PS256';

export interface JwtHeader {
  alg: SigningAlg;
  typ: 'JWT' | 'at+jwt';
  kid: string;
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs `payload` and returns the compact serialisation. */
export function signJwt(header: JwtHeader, payload: object, privateKey: KeyObject): string {
  const input = `${encode(header)}.${encode(payload)}`;
  const key =
    header.alg === 'PS256'
      ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : privateKey;
  const signature = sign('sha256', Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

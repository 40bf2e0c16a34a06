/**
 * @module tokens/jwt-signer
 *
 * Compact JWS signing with node:crypto's callback form of `sign`, which runs the RSA private-key
 * operation on the libuv threadpool: the event loop only encodes JSON while the ~0.25 ms of RSA
 * math runs beside it. Password hashes cannot crowd it out, because the hash scheduler keeps
 * fewer hash jobs in flight than the pool has threads (docs/adr/0002-signing-with-node-crypto.md).
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

/** Signs `payload` on the threadpool and resolves to the compact serialisation. */
export function signJwt(
  header: JwtHeader,
  payload: object,
  privateKey: KeyObject,
): Promise<string> {
  const input = `${encode(header)}.${encode(payload)}`;
  const key =
    header.alg === 'PS256'
      ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
      : privateKey;
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(input), key, (err, signature) => {
      if (err) reject(err);
      else resolve(`${input}.${signature.toString('base64url')}`);
    });
  });
}

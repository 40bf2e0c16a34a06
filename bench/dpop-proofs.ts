/**
 * @module bench/dpop-proofs
 *
 * DPoP proofs (RFC 9449) for the `dpop` scenario, signed ahead of a run so the load generator
 * only copies strings: ES256, one key per batch, unique `jti`, `iat` = when the batch was made
 * (the server accepts ±60 s by default, far longer than a run), `htm: POST`, no nonce (the bench
 * client is confidential, and `--dpop-nonce` defaults to `public`).
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { RequestSource } from './closed-loop.js';
import { BENCH_USERS, tokenForm } from './tenant.js';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `count` ES256 proofs for `htu`, signed now with one fresh key. */
export function signProofs(htu: string, count: number): string[] {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const header = b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicKey.export({ format: 'jwk' }) });
  const iat = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, () => {
    const input = `${header}.${b64({ jti: randomUUID(), htm: 'POST', htu, iat })}`;
    const signature = sign('sha256', Buffer.from(input), {
      key: privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${input}.${signature.toString('base64url')}`;
  });
}

/**
 * Password-grant requests for the bench users in turn, each with the next unused proof (a proof
 * is never replayed: `count` must exceed the requests of the run).
 */
export function dpopPasswordRequests(url: string, scope: string, count: number): RequestSource {
  const proofs = signProofs(`${url}/oauth/token`, count);
  let next = 0; // across runs: the warm-up and the measured run share the proofs
  return () => {
    const user = BENCH_USERS[next % BENCH_USERS.length]!;
    const proof = proofs[next++ % count]!;
    return { body: tokenForm(user.email, user.password, scope), headers: { DPoP: proof } };
  };
}

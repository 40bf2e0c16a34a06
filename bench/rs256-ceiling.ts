/**
 * @module bench/rs256-ceiling
 *
 * The raw RS256 signing rate: synchronous `crypto.sign` of an access-token-sized JWS input with
 * a 2048-bit RSA key (the size `latchkey keys` generates), one signature after another on this
 * process's main thread, for a fixed time. It is the "one core signs and does nothing else"
 * ceiling the no-hash grants are compared with.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface SignCeiling {
  signatures: number;
  seconds: number;
  perSecond: number;
}

const INPUT = Buffer.from(
  `${Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k'.repeat(43) })).toString('base64url')}.${Buffer.from(
    JSON.stringify({
      iss: 'http://127.0.0.1:3000/',
      sub: 'auth0|0123456789abcdef01234567',
      aud: ['https://bench.latchkey.test/api', 'http://127.0.0.1:3000/userinfo'],
      iat: 1_800_000_000,
      exp: 1_800_003_600,
      scope: 'read:data offline_access',
      gty: 'refresh_token',
      azp: 'bench-backend',
    }),
  ).toString('base64url')}`,
);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Signs for `warmupS`, then counts signatures for `durationS`. */
export function measureRs256(warmupS: number, durationS: number): SignCeiling {
  const loop = (seconds: number) => {
    let count = 0;
    const until = performance.now() + seconds * 1000;
    while (performance.now() < until) {
      sign('sha256', INPUT, privateKey);
      count++;
    }
    return count;
  };
  loop(warmupS);
  const start = performance.now();
  const signatures = loop(durationS);
  const seconds = (performance.now() - start) / 1000;
  return { signatures, seconds, perSecond: signatures / seconds };
}

/**
 * @module bench/dpop
 *
 * The DPoP scenario: the same password grant as "grant (access token)", each request carrying
 * a fresh ES256 proof, measured right after a plain run of the same length so the two compare
 * as neighbours. Proofs (unique `jti`, `iat` = start of the run) are signed before each run, so
 * the load generator only copies strings. The result is the DPoP run; `dpopOverhead` adds the
 * plain run and the ratios (throughput plain ÷ DPoP; server main-thread CPU per request).
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import type { AutocannonRequest } from 'autocannon';
import { type LoadOptions, runScenario, type ScenarioResult } from './load.js';
import { BENCH_USERS, SCOPES, tokenForm } from './tenant.js';

/** Proofs signed per second of a run: well above what argon2 lets through on small machines. */
const PROOFS_PER_SECOND = 400;

export interface DpopOverhead {
  plainPerSecond: number;
  dpopPerSecond: number;
  /** Plain req/s ÷ DPoP req/s (1.00 = no cost visible in throughput). */
  throughputRatio: number;
  /** Server main-thread CPU ms per request, plain and with DPoP, and their ratio. */
  mainCpuMs: { plain: number; dpop: number; ratio: number } | null;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `count` ES256 proofs for `htu`, signed now with one key. */
function signProofs(htu: string, count: number): string[] {
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

/** One request whose every send takes the next proof and the next user. */
function dpopRequests(url: string, scope: string, seconds: number): AutocannonRequest[] {
  const proofs = signProofs(`${url}/oauth/token`, Math.ceil(seconds * PROOFS_PER_SECOND) + 100);
  let next = 0;
  const request: AutocannonRequest = {
    method: 'POST',
    path: '/oauth/token',
    setupRequest: (req) => {
      const user = BENCH_USERS[next % BENCH_USERS.length]!;
      const proof = proofs[next++ % proofs.length]!;
      return {
        ...req,
        headers: { 'content-type': 'application/x-www-form-urlencoded', DPoP: proof },
        body: tokenForm(user.email, user.password, scope),
      };
    },
  };
  return [request];
}

/** A DPoP request must get a DPoP-bound token before any load. */
async function checkDpopResponse(url: string, scope: string): Promise<void> {
  const user = BENCH_USERS[0]!;
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      DPoP: signProofs(`${url}/oauth/token`, 1)[0]!,
    },
    body: tokenForm(user.email, user.password, scope),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || body.token_type !== 'DPoP')
    throw new Error(`DPoP request not bound: ${response.status} ${JSON.stringify(body)}`);
}

function overhead(plain: ScenarioResult, dpop: ScenarioResult): DpopOverhead {
  const main =
    plain.cpuMsPerRequest && dpop.cpuMsPerRequest
      ? {
          plain: plain.cpuMsPerRequest.serverMain,
          dpop: dpop.cpuMsPerRequest.serverMain,
          ratio: dpop.cpuMsPerRequest.serverMain / plain.cpuMsPerRequest.serverMain,
        }
      : null;
  return {
    plainPerSecond: plain.perSecond,
    dpopPerSecond: dpop.perSecond,
    throughputRatio: plain.perSecond / dpop.perSecond,
    mainCpuMs: main,
  };
}

/** Runs plain then DPoP; returns the DPoP result with `dpopOverhead`. */
export async function runDpopScenario(
  options: LoadOptions,
): Promise<ScenarioResult & { dpopOverhead: DpopOverhead }> {
  await checkDpopResponse(options.url, options.scope);
  const plain = await runScenario(options);
  const dpop = await runScenario({
    ...options,
    requests: (seconds) => dpopRequests(options.url, options.scope, seconds),
  });
  const dpopOverhead = overhead(plain, dpop);
  const cpu = dpopOverhead.mainCpuMs;
  process.stderr.write(
    `[bench] DPoP overhead: plain ${plain.perSecond.toFixed(1)} req/s, DPoP ${dpop.perSecond.toFixed(1)} req/s, ` +
      `throughput ratio ${dpopOverhead.throughputRatio.toFixed(3)}` +
      (cpu
        ? `; main-thread CPU ${cpu.plain.toFixed(2)} → ${cpu.dpop.toFixed(2)} ms/request (×${cpu.ratio.toFixed(2)})\n`
        : '\n'),
  );
  return { ...dpop, dpopOverhead };
}

/** The scenario entry for `bench/run.ts`. */
export const DPOP_SCENARIO = {
  name: 'grant + DPoP proof (vs plain, same run)',
  scope: SCOPES.accessOnly,
  idToken: false,
  load: runDpopScenario,
} as const;

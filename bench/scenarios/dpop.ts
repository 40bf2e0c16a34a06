/**
 * @module bench/scenarios/dpop
 *
 * What a DPoP proof costs on the password grant, measured as neighbours on one server child:
 * plain, DPoP, plain again (this VM's speed drifts within a minute, so the DPoP run is compared
 * with the mean of the plain runs around it). Same grant and load as the password scenario's
 * "access token" run; the DPoP run sends a fresh pre-signed ES256 proof per request
 * (bench/dpop-proofs.ts) and the bench API has `proof_of_possession` (`required: false`), so
 * every token is really bound (checked once before the load: `token_type` "DPoP").
 * Informational: passes when no request failed.
 */
import { dpopPasswordRequests, signProofs } from '../dpop-proofs.js';
import { passwordRequests, runScenario, type ScenarioResult, warmUpServer } from '../load.js';
import { NOISE_CORES } from '../password-report.js';
import { type BenchContext, type BenchScenario, startBenchServer } from '../scenario.js';
import { BENCH_USERS, SCOPES, tokenForm } from '../tenant.js';

/** Proofs signed per second of a run: well above what argon2id lets through on this VM. */
const PROOFS_PER_SECOND = 400;

type Run = ScenarioResult & { name: string };

/** A request with a proof must get a DPoP-bound token before any load. */
async function checkBound(url: string): Promise<void> {
  const user = BENCH_USERS[0]!;
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      DPoP: signProofs(`${url}/oauth/token`, 1)[0]!,
    },
    body: tokenForm(user.email, user.password, SCOPES.accessOnly),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || body.token_type !== 'DPoP')
    throw new Error(`DPoP request not bound: ${response.status} ${JSON.stringify(body)}`);
}

/** Plain and DPoP requests in turn, so both paths are compiled before the first run. */
async function warmUp(ctx: BenchContext, url: string): Promise<void> {
  const { config } = ctx;
  ctx.log(`dpop: server warm-up, ${config.serverWarmupS} s of plain and DPoP requests in turn`);
  const proofs = Math.ceil((config.serverWarmupS + 2) * PROOFS_PER_SECOND);
  const plain = passwordRequests(SCOPES.accessOnly);
  const dpop = dpopPasswordRequests(url, SCOPES.accessOnly, proofs);
  const requests = (n: number) => (n % 2 === 0 ? plain(n / 2) : dpop(n));
  await warmUpServer({ url, connections: config.connections, requests }, config.serverWarmupS);
}

async function measure(ctx: BenchContext, url: string, pid: number): Promise<Run[]> {
  const { config } = ctx;
  await warmUp(ctx, url);
  const runs: Run[] = [];
  for (const name of ['plain', 'DPoP', 'plain']) {
    await ctx.quiet();
    ctx.log(`dpop: ${name}, ${config.warmupS} s warm-up + ${config.dpopDurationS} s`);
    const proofs = Math.ceil((config.warmupS + config.dpopDurationS + 2) * PROOFS_PER_SECOND);
    const requests =
      name === 'DPoP'
        ? dpopPasswordRequests(url, SCOPES.accessOnly, proofs)
        : passwordRequests(SCOPES.accessOnly);
    const options = { ...config, durationS: config.dpopDurationS, url, serverPid: pid, requests };
    runs.push({ name, ...(await runScenario(options)) });
    ctx.log(`dpop: ${name} ${runs.at(-1)!.perSecond.toFixed(1)} req/s`);
  }
  return runs;
}

const mean = (a: number, b: number) => (a + b) / 2;

/** DPoP ÷ plain (mean of its two neighbours) for req/s, p50, p99 and main-thread CPU. */
function overhead([before, dpop, after]: Run[]) {
  const plain = (f: (r: Run) => number) => mean(f(before!), f(after!));
  const cpu = (r: Run) => r.cpuMsPerRequest?.serverMain ?? Number.NaN;
  return {
    plainPerSecond: plain((r) => r.perSecond),
    dpopPerSecond: dpop!.perSecond,
    throughputRatio: dpop!.perSecond / plain((r) => r.perSecond),
    p50Ratio: dpop!.latencyMs.p50 / plain((r) => r.latencyMs.p50),
    p99Ratio: dpop!.latencyMs.p99 / plain((r) => r.latencyMs.p99),
    mainCpuMs: { plain: plain(cpu), dpop: cpu(dpop!), ratio: cpu(dpop!) / plain(cpu) },
  };
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

function format(runs: Run[], o: ReturnType<typeof overhead>): string[] {
  const row = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(14) : c.padStart(9))).join(' ');
  const lines = [
    '## DPoP proof on the password grant (plain, DPoP, plain; same server)',
    row(['run', 'req/s', 'p50 ms', 'p99 ms', 'main ms', 'errors', 'others']),
  ];
  for (const r of runs) {
    const main = r.cpuMsPerRequest ? f2(r.cpuMsPerRequest.serverMain) : 'n/a';
    const others = r.foreignCores === null ? 'n/a' : f2(r.foreignCores);
    const { p50, p99 } = r.latencyMs;
    lines.push(row([r.name, f1(r.perSecond), `${p50}`, `${p99}`, main, `${r.errors}`, others]));
  }
  lines.push(
    `DPoP ÷ plain (mean of neighbours): req/s ${f2(o.throughputRatio)}, p50 ${f2(o.p50Ratio)}, ` +
      `p99 ${f2(o.p99Ratio)}, server main-thread CPU ${f2(o.mainCpuMs.plain)} → ` +
      `${f2(o.mainCpuMs.dpop)} ms/request (×${f2(o.mainCpuMs.ratio)}) (informational)`,
  );
  return lines;
}

async function run(ctx: BenchContext) {
  const server = await startBenchServer(ctx, 'dpop');
  try {
    ctx.log(`dpop: server ${server.url} (pid ${server.pid})`);
    await checkBound(server.url);
    const runs = await measure(ctx, server.url, server.pid);
    const o = overhead(runs);
    return {
      pass: runs.every((r) => r.errors === 0),
      noisy: runs.some((r) => (r.foreignCores ?? 0) > NOISE_CORES),
      lines: format(runs, o),
      json: { runs, ...o },
    };
  } finally {
    await server.stop();
  }
}

export const dpopScenario: BenchScenario = { name: 'dpop', run };

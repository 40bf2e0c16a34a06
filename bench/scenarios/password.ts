/**
 * @module bench/scenarios/password
 *
 * The password grant against the raw argon2id ceiling, and timing parity.
 *
 * 1. Raw ceiling: a child process verifies one production-parameter argon2id hash through the
 *    server's own `Argon2PasswordHasher` (its default pool) for fixed-time slices.
 * 2. The server runs from source as a child with the bench tenant; after a server warm-up
 *    (`BENCH_SERVER_WARMUP`, both grants in turn, so V8 has optimised the request path) a
 *    closed loop (bench/closed-loop.ts) drives `POST /oauth/token` at saturation without and
 *    with `openid` (an ID token signed too).
 *    A raw slice runs before and after each grant measurement (the other process idle).
 * 3. Ratio grant req/s ÷ mean of the two bracketing raw slices, against the 0.90 target: the
 *    raw speed of this VM drifts (by 20–50 % within a minute at times), so only neighbours compare.
 * 4. Timing parity of wrong-password requests, existing vs unknown user (medians within 5 %).
 */
import { execFileSync } from 'node:child_process';
import type { CeilingResult } from '../argon2-ceiling.js';
import { passwordRequests, runScenario, warmUpServer } from '../load.js';
import { measureParity } from '../parity.js';
import {
  formatPasswordReport,
  isNoisy,
  type PasswordReport,
  parityPasses,
  type ScenarioReport,
  summarizeRaw,
} from '../password-report.js';
import { RawCeiling } from '../raw-ceiling.js';
import { type BenchContext, type BenchScenario, startBenchServer } from '../scenario.js';
import { BENCH_USERS, SCOPES, tokenForm } from '../tenant.js';

const GRANTS = [
  { name: 'grant (access token)', scope: SCOPES.accessOnly, idToken: false },
  { name: 'grant + openid (ID token)', scope: SCOPES.openid, idToken: true },
] as const;

/** One request per grant before any load: 200, and an ID token exactly when expected. */
async function checkResponses(url: string): Promise<void> {
  const user = BENCH_USERS[0]!;
  for (const grant of GRANTS) {
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenForm(user.email, user.password, grant.scope),
    });
    const body = (await response.json()) as Record<string, unknown>;
    const hasIdToken = typeof body.id_token === 'string';
    if (
      response.status !== 200 ||
      typeof body.access_token !== 'string' ||
      hasIdToken !== grant.idToken
    ) {
      throw new Error(
        `unexpected answer for scope "${grant.scope}": ${response.status} ${JSON.stringify(body)}`,
      );
    }
  }
}

async function rawSlice(ctx: BenchContext, raw: RawCeiling, slices: CeilingResult[]) {
  const { config } = ctx;
  await ctx.quiet();
  const slice = await raw.measure({
    warmupS: config.rawWarmupS,
    durationS: config.rawDurationS,
    callers: config.rawCallers,
  });
  slices.push(slice);
  ctx.log(`raw argon2id slice ${slices.length}: ${slice.perSecond.toFixed(1)} verifies/s`);
}

/** Raw slices bracket every grant measurement: raw, grant 1, raw, grant 2, raw. */
async function measure(ctx: BenchContext, url: string, pid: number, raw: RawCeiling) {
  const { config } = ctx;
  const slices: CeilingResult[] = [];
  const scenarios: ScenarioReport[] = [];
  await checkResponses(url);
  ctx.log(`server warm-up: ${config.serverWarmupS} s of both grants`);
  const both = GRANTS.map((grant) => passwordRequests(grant.scope));
  const mixed = (n: number) => both[n % both.length]!(Math.floor(n / both.length));
  await warmUpServer(
    { url, connections: config.connections, requests: mixed },
    config.serverWarmupS,
  );
  await rawSlice(ctx, raw, slices);
  for (const grant of GRANTS) {
    await ctx.quiet();
    ctx.log(
      `${grant.name}: ${config.warmupS} s warm-up + ${config.durationS} s, ${config.connections} connections`,
    );
    const requests = passwordRequests(grant.scope);
    const result = await runScenario({ url, serverPid: pid, requests, ...config });
    await rawSlice(ctx, raw, slices);
    const [before, after] = [slices.at(-2)!, slices.at(-1)!];
    const rawPerSecond = (before.perSecond + after.perSecond) / 2;
    const rawCores = (before.cpuCores + after.cpuCores) / 2;
    const hashCoreShare = result.cores ? result.cores.serverOther / rawCores : null;
    const ratio = result.perSecond / rawPerSecond;
    const pass = ratio >= config.target && result.errors === 0;
    scenarios.push({ name: grant.name, ...result, rawPerSecond, ratio, hashCoreShare, pass });
    ctx.log(`${grant.name}: ${result.perSecond.toFixed(1)} req/s, ratio ${ratio.toFixed(3)}`);
  }
  ctx.log(`timing parity: ${config.parityRequests} wrong-password requests of each kind`);
  const parity = await measureParity(url, config.parityRequests);
  return { slices, scenarios, parity };
}

async function run(ctx: BenchContext) {
  const raw = await RawCeiling.start(ctx.config.hashConcurrency);
  try {
    const server = await startBenchServer(ctx, 'password');
    try {
      ctx.log(`password: server ${server.url} (pid ${server.pid})`);
      // Pinned only now, so the children started above keep every CPU.
      if (ctx.config.loadgenCpus) {
        execFileSync('taskset', ['-a', '-p', '-c', ctx.config.loadgenCpus, String(process.pid)], {
          stdio: 'ignore',
        });
      }
      const { slices, scenarios, parity } = await measure(ctx, server.url, server.pid, raw);
      const report: PasswordReport = {
        raw: summarizeRaw(slices),
        scenarios,
        parity,
        pass: scenarios.every((s) => s.pass) && parityPasses(parity),
        noisy: isNoisy(slices, scenarios),
      };
      const lines = formatPasswordReport(report, ctx.config);
      return { pass: report.pass, noisy: report.noisy, lines, json: report };
    } finally {
      await server.stop();
    }
  } finally {
    await raw.stop();
  }
}

export const passwordScenario: BenchScenario = { name: 'password', run };

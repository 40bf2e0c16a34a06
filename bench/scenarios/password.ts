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
 * 3. Each grant is measured in rounds (`BENCH_ROUNDS` × `BENCH_DURATION` s) with a raw slice after
 *    each; a round's ratio is its req/s ÷ the mean of the two raw slices around it, and the
 *    median of the rounds' ratios is held to the 0.90 target: the raw speed of this VM drifts (by
 *    20–50 % within a minute at times), so only close neighbours compare.
 * 4. Timing parity of wrong-password requests, existing vs unknown user (medians within 5 %).
 * 5. The floor, for comparison (not held to the target): bench/floor-server.ts, the same HTTP
 *    stack, hasher and signer with nothing else, warmed up (`BENCH_FLOOR_WARMUP`, 0 skips it)
 *    and measured like a grant between raw slices of its own; with `BENCH_BARE_FLOOR=1` also
 *    bench/bare-floor-server.ts (node:http, hasher and signer, no framework or log) likewise.
 */
import { execFileSync } from 'node:child_process';
import type { CeilingResult } from '../argon2-ceiling.js';
import type { RequestSource } from '../closed-loop.js';
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
import {
  type BenchContext,
  type BenchScenario,
  startBenchFloor,
  startBenchServer,
} from '../scenario.js';
import { BENCH_USERS, SCOPES, tokenForm } from '../tenant.js';

/** The floor servers: their script (`bench/<script>.ts`) and row in the report. */
const FLOORS = {
  floor: { script: 'floor-server', name: 'floor (no storage etc.)' },
  bare: { script: 'bare-floor-server', name: 'bare floor (node:http)' },
} as const;

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

interface Target {
  name: string;
  url: string;
  pid: number;
  requests: RequestSource;
  /** Measured for comparison only, not held to the target. */
  reference: boolean;
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * `target` measured in rounds with a raw slice after each (the slice before the first is already
 * there). Each round's ratio is its rate ÷ the mean of the two slices around it; the report's
 * ratio is their median, so a round the VM slowed down alone does not decide the verdict.
 */
async function measureAgainstRaw(
  ctx: BenchContext,
  raw: RawCeiling,
  slices: CeilingResult[],
  target: Target,
): Promise<ScenarioReport> {
  const { config } = ctx;
  await ctx.quiet();
  ctx.log(
    `${target.name}: ${config.warmupS} s warm-up, then ${config.measureRounds} rounds of ` +
      `${config.durationS} s with a raw slice after each, ${config.connections} connections`,
  );
  const { url, pid, requests, name, reference } = target;
  const first = slices.length - 1;
  const result = await runScenario({
    ...config,
    url,
    serverPid: pid,
    requests,
    rounds: config.measureRounds,
    rewarmS: config.roundRewarmS,
    betweenRounds: () => rawSlice(ctx, raw, slices),
  });
  const around = result.roundPerSecond.map((_, i) => [slices[first + i]!, slices[first + i + 1]!]);
  const rawRates = around.map(([a, b]) => (a.perSecond + b.perSecond) / 2);
  const roundRatios = result.roundPerSecond.map((rate, i) => rate / rawRates[i]!);
  const rawPerSecond = rawRates.reduce((a, b) => a + b, 0) / rawRates.length;
  const bracketing = slices.slice(first);
  const rawCores = bracketing.reduce((a, s) => a + s.cpuCores, 0) / bracketing.length;
  const hashCoreShare = result.cores ? result.cores.serverOther / rawCores : null;
  const rawCpuMsPerVerify =
    bracketing.reduce((a, s) => a + s.cpuMsPerVerify, 0) / bracketing.length;
  const ratio = median(roundRatios);
  const pass = reference || (ratio >= config.target && result.errors === 0);
  const spread = roundRatios.map((r) => r.toFixed(3)).join(', ');
  ctx.log(`${name}: ${result.perSecond.toFixed(1)} req/s, ratio ${ratio.toFixed(3)} (${spread})`);
  return {
    name,
    ...result,
    rawPerSecond,
    ratio,
    roundRatios,
    hashCoreShare,
    rawCpuMsPerVerify,
    pass,
    reference,
  };
}

/** Raw slices bracket every round: raw, grant 1 round 1, raw, …, grant 2 round 1, raw, …. */
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
    const requests = passwordRequests(grant.scope);
    const target = { name: grant.name, url, pid, requests, reference: false };
    scenarios.push(await measureAgainstRaw(ctx, raw, slices, target));
  }
  ctx.log(`timing parity: ${config.parityRequests} wrong-password requests of each kind`);
  const parity = await measureParity(url, config.parityRequests);
  return { slices, scenarios, parity };
}

/**
 * A floor (bench/floor-server.ts: the HTTP stack, hasher and signer without anything else; or
 * the bare one), warmed up like the server and bracketed by raw slices of its own.
 */
async function measureFloor(
  ctx: BenchContext,
  raw: RawCeiling,
  slices: CeilingResult[],
  kind: keyof typeof FLOORS,
) {
  const { config } = ctx;
  const { script, name } = FLOORS[kind];
  const floor = await startBenchFloor(ctx, script);
  try {
    ctx.log(`${name}: server ${floor.url} (pid ${floor.pid}), ${config.floorWarmupS} s warm-up`);
    const requests = passwordRequests(SCOPES.accessOnly);
    const url = floor.url;
    await warmUpServer({ url, connections: config.connections, requests }, config.floorWarmupS);
    await rawSlice(ctx, raw, slices);
    const target = { name, url, pid: floor.pid, requests, reference: true };
    return await measureAgainstRaw(ctx, raw, slices, target);
  } finally {
    await floor.stop();
  }
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
      await server.stop();
      if (ctx.config.floorWarmupS > 0) {
        scenarios.push(await measureFloor(ctx, raw, slices, 'floor'));
        if (ctx.config.bareFloor) scenarios.push(await measureFloor(ctx, raw, slices, 'bare'));
      }
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

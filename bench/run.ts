/**
 * @module bench/run
 *
 * `npm run bench`: the password grant's throughput against the raw argon2id ceiling, measured
 * in one run on this machine.
 *
 * 1. Raw ceiling: a child process verifies one production-parameter argon2id hash through the
 *    server's own {@link Argon2PasswordHasher} (limiter of 2) for fixed-time slices.
 * 2. The server runs from source as a child with a bench tenant; autocannon drives
 *    `POST /oauth/token` at saturation without and with `openid` (an ID token signed too).
 *    A raw slice runs before and after each scenario (the other process idle meanwhile).
 * 3. Ratio grant req/s ÷ mean of the two bracketing raw slices, against the 0.90 target: the
 *    raw speed of this VM drifts (by 20–50 % within a minute at times), so only neighbours compare.
 * 4. Timing parity of wrong-password requests, existing vs unknown user.
 *
 * Prints a table and writes the same figures to bench/results/latest.json. Exit code 1 when a
 * target is missed or any request failed. Settings: see {@link loadConfig}.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CeilingResult } from './argon2-ceiling.js';
import { ROOT, startServerChild, stopAllChildren } from './children.js';
import { type BenchConfig, loadConfig } from './config.js';
import { DPOP_SCENARIO } from './dpop.js';
import { runScenario } from './load.js';
import { measureParity } from './parity.js';
import { waitForQuiet } from './proc-stats.js';
import { RawCeiling } from './raw-ceiling.js';
import {
  type BenchReport,
  formatReport,
  isNoisy,
  machine,
  type ScenarioReport,
  summarizeRaw,
} from './report.js';
import { BENCH_USERS, SCOPES, tokenForm, writeBenchTenant } from './tenant.js';

const SCENARIOS = [
  { name: 'grant (access token)', scope: SCOPES.accessOnly, idToken: false },
  { name: 'grant + openid (ID token)', scope: SCOPES.openid, idToken: true },
  DPOP_SCENARIO,
] as const;

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** Gives other processes' load a chance to pass before a measurement (see BENCH_QUIET_WAIT). */
async function quiet(config: BenchConfig): Promise<void> {
  if (config.quietWaitS <= 0) return;
  const { waitedS, quiet } = await waitForQuiet(config.quietWaitS);
  if (!quiet) {
    log(
      `machine still busy after ${waitedS.toFixed(0)} s; measuring anyway (see "other processes")`,
    );
  } else if (waitedS > 1.5) {
    log(`waited ${waitedS.toFixed(0)} s for other processes to go idle`);
  }
}

/** One request per scenario before any load: 200, and an ID token exactly when expected. */
async function checkResponses(url: string): Promise<void> {
  const user = BENCH_USERS[0]!;
  for (const scenario of SCENARIOS) {
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenForm(user.email, user.password, scenario.scope),
    });
    const body = (await response.json()) as Record<string, unknown>;
    const hasIdToken = typeof body.id_token === 'string';
    if (
      response.status !== 200 ||
      typeof body.access_token !== 'string' ||
      hasIdToken !== scenario.idToken
    ) {
      throw new Error(
        `unexpected answer for scope "${scenario.scope}": ${response.status} ${JSON.stringify(body)}`,
      );
    }
  }
}

function sliceRequest(config: BenchConfig) {
  return { warmupS: config.rawWarmupS, durationS: config.rawDurationS, callers: config.rawCallers };
}

async function rawSlice(
  raw: RawCeiling,
  config: BenchConfig,
  slices: CeilingResult[],
): Promise<void> {
  await quiet(config);
  const slice = await raw.measure(sliceRequest(config));
  slices.push(slice);
  log(`raw argon2id slice ${slices.length}: ${slice.perSecond.toFixed(1)} verifies/s`);
}

/** Raw slices bracket every scenario: raw, scenario 1, raw, scenario 2, raw. */
async function measure(config: BenchConfig, url: string, pid: number, raw: RawCeiling) {
  const slices: CeilingResult[] = [];
  const scenarios: ScenarioReport[] = [];
  await checkResponses(url);
  await rawSlice(raw, config, slices);
  for (const scenario of SCENARIOS) {
    await quiet(config);
    log(
      `${scenario.name}: ${config.warmupS} s warm-up + ${config.durationS} s, ${config.connections} connections`,
    );
    const load = 'load' in scenario ? scenario.load : runScenario;
    const result = await load({ url, serverPid: pid, scope: scenario.scope, ...config });
    await rawSlice(raw, config, slices);
    const [before, after] = [slices.at(-2)!, slices.at(-1)!];
    const rawPerSecond = (before.perSecond + after.perSecond) / 2;
    const rawCores = (before.cpuCores + after.cpuCores) / 2;
    const hashCoreShare = result.cores ? result.cores.serverOther / rawCores : null;
    const ratio = result.perSecond / rawPerSecond;
    const pass = ratio >= config.target && result.errors === 0;
    scenarios.push({ name: scenario.name, ...result, rawPerSecond, ratio, hashCoreShare, pass });
    log(`${scenario.name}: ${result.perSecond.toFixed(1)} req/s, ratio ${ratio.toFixed(3)}`);
  }
  log(`timing parity: ${config.parityRequests} wrong-password requests of each kind`);
  const parity = await measureParity(url, config.parityRequests);
  return { slices, scenarios, parity };
}

/** The data directory of the run, removed at the end and on SIGINT/SIGTERM. */
let tempDir: string | undefined;

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  tempDir = dir;
  let measured: Awaited<ReturnType<typeof measure>>;
  try {
    const raw = await RawCeiling.start();
    try {
      const server = await startServerChild({
        dataDir: join(dir, 'data'),
        tenantFile: writeBenchTenant(dir),
        logLevel: config.logLevel,
        cpus: config.serverCpus,
        nodeArgs: config.serverNodeArgs,
        logFile: join(dir, 'server.log'),
      });
      try {
        log(`server ${server.url} (pid ${server.pid})`);
        // Pinned only now, so the children started above keep every CPU.
        if (config.loadgenCpus) {
          execFileSync('taskset', ['-a', '-p', '-c', config.loadgenCpus, String(process.pid)], {
            stdio: 'ignore',
          });
        }
        measured = await measure(config, server.url, server.pid, raw);
      } finally {
        await server.stop();
      }
    } finally {
      await raw.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const { slices, scenarios, parity } = measured;
  const report: BenchReport = {
    date: new Date(started).toISOString(),
    machine: machine(),
    config,
    raw: summarizeRaw(slices),
    scenarios,
    parity,
    pass: scenarios.every((s) => s.pass) && parity.unexpected === 0,
    noisy: isNoisy(slices, scenarios),
    totalSeconds: (Date.now() - started) / 1000,
  };
  process.stdout.write(`${formatReport(report)}\n`);
  const results = join(ROOT, 'bench', 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${join(results, 'latest.json')}`);
  if (!report.pass) process.exitCode = 1;
}

async function cleanUp(): Promise<void> {
  await stopAllChildren();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping children`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (err) {
  await cleanUp();
  process.stderr.write(
    `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
}

/**
 * @module bench/load
 *
 * One grant scenario at saturation: `POST /oauth/token` with the given requests in turn (e.g.
 * valid credentials for the bench users), driven by autocannon from this process. A warm-up run (not
 * reported) comes first; the measured run records throughput, latency, non-2xx responses,
 * and the CPU time of the server (main thread vs the rest) and of this load generator.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { cpuDelta, foreignCores, readMachineCpu, readThreadCpu } from './proc-stats.js';
import { BENCH_USERS, tokenForm } from './tenant.js';

/** Pause between the warm-up and the measured run. */
const SETTLE_MS = 1000;

export interface LoadOptions {
  url: string;
  serverPid: number;
  /** Each connection cycles through these. */
  requests: AutocannonRequest[];
  connections: number;
  warmupS: number;
  durationS: number;
}

export interface ScenarioResult {
  connections: number;
  seconds: number;
  ok: number;
  perSecond: number;
  /** Non-2xx responses plus socket errors and timeouts: must be 0. */
  errors: number;
  statusCodes: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /**
   * CPU ms per successful request: server main thread, other server threads, load generator;
   * and ms the server's main thread waited for a CPU while runnable.
   */
  cpuMsPerRequest: {
    serverMain: number;
    serverOther: number;
    loadgen: number;
    mainWait: number;
  } | null;
  /** Average cores busy over the window (2.0 = both cores of this machine). */
  cores: { serverMain: number; serverOther: number; loadgen: number } | null;
  /** Cores busy with other processes meanwhile (noise; should be ≈ 0), null without /proc. */
  foreignCores: number | null;
}

/** A form-encoded `POST /oauth/token`. */
export function tokenRequest(body: string): AutocannonRequest {
  return {
    method: 'POST',
    path: '/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  };
}

/** Valid password-grant requests for the bench users in turn. */
export function passwordRequests(scope: string): AutocannonRequest[] {
  return BENCH_USERS.map((user) => tokenRequest(tokenForm(user.email, user.password, scope)));
}

function fire(options: LoadOptions, seconds: number): Promise<AutocannonResult> {
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    timeout: 30,
    requests: options.requests,
  });
}

function errorCount(result: AutocannonResult): number {
  return result.non2xx + result.errors + result.timeouts;
}

export async function runScenario(options: LoadOptions): Promise<ScenarioResult> {
  // a previous run's abandoned requests may still be queued on the server (see below)
  await sleep(SETTLE_MS);
  const warm = await fire(options, options.warmupS);
  if (errorCount(warm) > 0) {
    throw new Error(
      `warm-up got errors: ${JSON.stringify(warm.statusCodeStats)} errors=${warm.errors}`,
    );
  }
  // autocannon drops its connections at the end of a run, but the server still completes the
  // requests it had queued; the measured run starts once they are done, so that its own
  // requests do not find the hash queue's per-source share (16) taken by abandoned ones.
  await sleep(SETTLE_MS);
  const serverBefore = readThreadCpu(options.serverPid);
  const loadgenBefore = process.cpuUsage();
  const machineBefore = readMachineCpu();
  const result = await fire(options, options.durationS);
  const loadgen = process.cpuUsage(loadgenBefore);
  const server = cpuDelta(serverBefore, readThreadCpu(options.serverPid));
  const machineAfter = readMachineCpu();
  const ok = result['2xx'];
  const seconds = result.duration;
  const loadgenS = (loadgen.user + loadgen.system) / 1e6;
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]),
  );
  const { latency } = result;
  return {
    connections: options.connections,
    seconds,
    ok,
    perSecond: ok / seconds,
    errors: errorCount(result),
    statusCodes,
    latencyMs: {
      p50: latency.p50,
      p90: latency.p90,
      p99: latency.p99,
      max: latency.max,
      mean: latency.mean,
    },
    cpuMsPerRequest:
      server && ok > 0
        ? {
            serverMain: (server.main * 1000) / ok,
            serverOther: (server.other * 1000) / ok,
            loadgen: (loadgenS * 1000) / ok,
            mainWait: (server.mainWait * 1000) / ok,
          }
        : null,
    foreignCores: server
      ? foreignCores(machineBefore, machineAfter, server.main + server.other + loadgenS, seconds)
      : null,
    cores: server
      ? {
          serverMain: server.main / seconds,
          serverOther: server.other / seconds,
          loadgen: loadgenS / seconds,
        }
      : null,
  };
}

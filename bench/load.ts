/**
 * @module bench/load
 *
 * One grant scenario at saturation: `POST /oauth/token` with the given requests in turn (e.g.
 * valid credentials for the bench users), driven by {@link closedLoop} from this process. A
 * warm-up run (not reported) comes first; the measured run records throughput, latency, non-2xx
 * responses, and the CPU time of the server (main thread vs the rest) and of this load generator
 * over the measured window. The measured run may be split into rounds with something else (a
 * raw-ceiling slice) between them; the figures cover the rounds together, and each round's rate
 * is kept too.
 */
import { closedLoop, type RequestSource, summarizeLatencies } from './closed-loop.js';
import {
  cpuDelta,
  cpuSum,
  foreignCores,
  readMachineCpu,
  readThreadCpu,
  type ThreadCpu,
} from './proc-stats.js';
import { BENCH_USERS, tokenForm } from './tenant.js';

export interface LoadOptions {
  url: string;
  serverPid: number;
  /** The n-th request (connections take the next one as they become free). */
  requests: RequestSource;
  connections: number;
  warmupS: number;
  /** Seconds of each measured round. */
  durationS: number;
  /** Measured rounds (default 1). */
  rounds?: number;
  /** Runs after each round, with the server idle (e.g. a raw-ceiling slice). */
  betweenRounds?: (round: number) => Promise<void>;
  /** Seconds of unmeasured load before each round after the first (default 0). */
  rewarmS?: number;
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
  /** Successful requests per second of each measured round, in order. */
  roundPerSecond: number[];
}

/** The same form-encoded `POST /oauth/token` every time. */
export function tokenRequest(body: string): RequestSource {
  return () => ({ body });
}

/** Valid password-grant requests for the bench users in turn. */
export function passwordRequests(scope: string): RequestSource {
  const bodies = BENCH_USERS.map((user) => tokenForm(user.email, user.password, scope));
  return (n) => ({ body: bodies[n % bodies.length]! });
}

function fire(options: LoadOptions, seconds: number, atEnd?: () => void) {
  const { url, connections, requests } = options;
  return closedLoop({ url, connections, durationS: seconds, request: requests, atEnd });
}

/**
 * Load with `requests` for `seconds`, nothing measured; throws on any failed request. Before a
 * measurement, and at length for a new server child, so that it reaches the steady state of a
 * long-running one: at ~75 password grants/s V8 keeps compiling the request path for ~40 s (its
 * helper threads used 30–45 ms of CPU per second at first and under 10 after 40 s, the main
 * thread 2.4 → 1.8 ms per request).
 */
export async function warmUpServer(
  options: Pick<LoadOptions, 'url' | 'connections' | 'requests'>,
  seconds: number,
): Promise<void> {
  if (seconds <= 0) return;
  const result = await closedLoop({ ...options, durationS: seconds, request: options.requests });
  if (result.errors > 0) {
    throw new Error(`server warm-up got errors: ${JSON.stringify(result.statusCodes)}`);
  }
}

interface Usage {
  server: ReturnType<typeof readThreadCpu>;
  loadgen: NodeJS.CpuUsage;
  machine: ReturnType<typeof readMachineCpu>;
}

const usage = (serverPid: number): Usage => ({
  server: readThreadCpu(serverPid),
  loadgen: process.cpuUsage(),
  machine: readMachineCpu(),
});

/** The measured rounds added up. */
interface Totals {
  ok: number;
  errors: number;
  seconds: number;
  statusCodes: Record<string, number>;
  latencies: number[];
  /** Server CPU seconds (null without /proc). */
  server: ThreadCpu | null;
  loadgenS: number;
  /** Other processes' CPU, in core-seconds (null without /proc). */
  foreignS: number | null;
  roundPerSecond: number[];
}

/** One measured round at saturation, added to `totals`. */
async function measureRound(options: LoadOptions, totals: Totals): Promise<void> {
  const before = usage(options.serverPid);
  let after: Usage | undefined;
  const result = await fire(options, options.durationS, () => {
    after = usage(options.serverPid);
  });
  after ??= usage(options.serverPid);
  const server = cpuDelta(before.server, after.server);
  const loadgenUs =
    after.loadgen.user + after.loadgen.system - before.loadgen.user - before.loadgen.system;
  const loadgenS = loadgenUs / 1e6;
  const own = server ? server.main + server.other + loadgenS : 0;
  const foreign = foreignCores(before.machine, after.machine, own, result.seconds);
  totals.ok += result.ok;
  totals.errors += result.errors;
  totals.seconds += result.seconds;
  for (const [code, n] of Object.entries(result.statusCodes)) {
    totals.statusCodes[code] = (totals.statusCodes[code] ?? 0) + n;
  }
  for (const latency of result.latencies) totals.latencies.push(latency);
  totals.server = cpuSum(totals.server, server);
  totals.loadgenS += loadgenS;
  totals.foreignS =
    foreign === null || totals.foreignS === null
      ? null
      : totals.foreignS + foreign * result.seconds;
  totals.roundPerSecond.push(result.ok / result.seconds);
}

function resultOf(options: LoadOptions, t: Totals): ScenarioResult {
  const { ok, seconds, server } = t;
  const perRequest = (cpuS: number) => (cpuS * 1000) / ok;
  return {
    connections: options.connections,
    seconds,
    ok,
    perSecond: ok / seconds,
    errors: t.errors,
    statusCodes: t.statusCodes,
    latencyMs: summarizeLatencies(t.latencies),
    cpuMsPerRequest:
      server && ok > 0
        ? {
            serverMain: perRequest(server.main),
            serverOther: perRequest(server.other),
            loadgen: perRequest(t.loadgenS),
            mainWait: perRequest(server.mainWait),
          }
        : null,
    foreignCores: t.foreignS === null ? null : t.foreignS / seconds,
    cores: server
      ? {
          serverMain: server.main / seconds,
          serverOther: server.other / seconds,
          loadgen: t.loadgenS / seconds,
        }
      : null,
    roundPerSecond: t.roundPerSecond,
  };
}

/**
 * A warm-up, then `rounds` measured rounds (each but the first after `rewarmS` of unmeasured
 * load, each followed by `betweenRounds`).
 */
export async function runScenario(options: LoadOptions): Promise<ScenarioResult> {
  await warmUpServer(options, options.warmupS);
  // each run awaits its late answers, so the server is idle again between runs
  const totals: Totals = {
    ok: 0,
    errors: 0,
    seconds: 0,
    statusCodes: {},
    latencies: [],
    server: { main: 0, other: 0, mainWait: 0 },
    loadgenS: 0,
    foreignS: 0,
    roundPerSecond: [],
  };
  const rounds = options.rounds ?? 1;
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await warmUpServer(options, options.rewarmS ?? 0);
    await measureRound(options, totals);
    await options.betweenRounds?.(round);
  }
  return resultOf(options, totals);
}

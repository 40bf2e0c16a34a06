/**
 * @module bench/load
 *
 * One grant scenario at saturation: `POST /oauth/token` with the given requests in turn (e.g.
 * valid credentials for the bench users), driven by {@link closedLoop} from this process. A
 * warm-up run (not reported) comes first; the measured run records throughput, latency, non-2xx
 * responses, and the CPU time of the server (main thread vs the rest) and of this load generator
 * over the measured window.
 */
import { closedLoop, type RequestSource } from './closed-loop.js';
import { cpuDelta, foreignCores, readMachineCpu, readThreadCpu } from './proc-stats.js';
import { BENCH_USERS, tokenForm } from './tenant.js';

export interface LoadOptions {
  url: string;
  serverPid: number;
  /** The n-th request (connections take the next one as they become free). */
  requests: RequestSource;
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
 * Load with `requests` for `seconds`, nothing measured, so a new server child reaches the steady
 * state of a long-running one: at ~75 password grants/s V8 keeps compiling the request path for
 * ~40 s (its helper threads used 30–45 ms of CPU per second at first and under 10 after 40 s, the
 * main thread 2.4 → 1.8 ms per request). Throws on any failed request.
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

export async function runScenario(options: LoadOptions): Promise<ScenarioResult> {
  const warm = await fire(options, options.warmupS);
  if (warm.errors > 0) {
    throw new Error(`warm-up got errors: ${JSON.stringify(warm.statusCodes)}`);
  }
  // each run awaits its late answers, so the server is idle again here
  const before = usage(options.serverPid);
  let after: Usage | undefined;
  const result = await fire(options, options.durationS, () => {
    after = usage(options.serverPid);
  });
  after ??= usage(options.serverPid);
  const { ok, seconds } = result;
  const server = cpuDelta(before.server, after.server);
  const loadgenUs =
    after.loadgen.user + after.loadgen.system - before.loadgen.user - before.loadgen.system;
  const loadgenS = loadgenUs / 1e6;
  return {
    connections: options.connections,
    seconds,
    ok,
    perSecond: ok / seconds,
    errors: result.errors,
    statusCodes: result.statusCodes,
    latencyMs: result.latencyMs,
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
      ? foreignCores(before.machine, after.machine, server.main + server.other + loadgenS, seconds)
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

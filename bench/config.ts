/**
 * @module bench/config
 *
 * Benchmark settings. The defaults are what `npm run bench` measures (about 3½ minutes in all
 * on a quiet machine); each can be overridden with a `BENCH_*` environment variable.
 */

export interface BenchConfig {
  /** Seconds of argon2 verification before each raw slice is measured. */
  rawWarmupS: number;
  /** Seconds each raw argon2id slice is measured (one before and one after each scenario). */
  rawDurationS: number;
  /** Callers keeping `hasher.verify` busy in the raw run (the limiter lets 2 through). */
  rawCallers: number;
  /**
   * Seconds of password grants a new server child gets before its first measurement, so V8 has
   * compiled the request path (a long-running server's steady state; see docs/benchmarks.md).
   */
  serverWarmupS: number;
  /**
   * Seconds of load the floor server (bench/floor-server.ts) gets before it is measured; 0 skips
   * the floor.
   */
  floorWarmupS: number;
  /** Seconds of load before each grant scenario is measured. */
  warmupS: number;
  /**
   * Seconds of each measured round. The password scenario measures each grant in
   * `measureRounds` rounds with a raw slice after each; the dpop and signing scenarios have
   * durations of their own.
   */
  durationS: number;
  /** Measured rounds of each password-grant measurement (raw slices between them). */
  measureRounds: number;
  /** Seconds of unmeasured load before each round after the first (refills the hash queue). */
  roundRewarmS: number;
  /** Connections of the closed loop (requests in flight). */
  connections: number;
  /** Wrong-password requests per kind in the timing-parity check. */
  parityRequests: number;
  /** `--log-level` of the server child (`info` is the `latchkey serve` default). */
  logLevel: string;
  /**
   * Hash jobs at once for the server child (`--hash-concurrency`) and the raw ceiling's pool, or
   * null for the server's default (cores + 1, below the threadpool size).
   */
  hashConcurrency: number | null;
  /** CPU list for `taskset -c` of the server child, or null to leave it unpinned. */
  serverCpus: string | null;
  /** Whether the password scenario also measures bench/bare-floor-server.ts (`BENCH_BARE_FLOOR=1`). */
  bareFloor: boolean;
  /** Extra Node flags for the server child only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
  serverNodeArgs: string[];
  /** CPU list for `taskset -a -p -c` of this process (the load generator), or null. */
  loadgenCpus: string | null;
  /** Longest wait (s) before each measurement for the machine to go idle (0 = don't wait). */
  quietWaitS: number;
  /** Lowest acceptable grant/raw ratio. */
  target: number;
  /** Seconds of raw RS256 signing measured before and after the no-hash grants (signing). */
  signDurationS: number;
  /** Seconds each no-hash grant (refresh, client credentials) is measured. */
  signGrantS: number;
  /** Lowest acceptable refresh-grant req/s ÷ raw RS256 signatures/s. */
  signTarget: number;
  /** Attack scenario: seconds of legitimate load alone, then with the attack. */
  attackPhaseS: number;
  /**
   * Attack scenario: legitimate logins per second (spread over {@link legitIps}) as a share of
   * the measured hash capacity, so the load stays modest on a slow or busy machine too.
   */
  legitShare: number;
  legitIps: number;
  attackerIps: number;
  /** Attack rate as a multiple of the measured hash capacity. */
  attackFactor: number;
  /** Seconds of the many-IP spray, and how many IPs it comes from. */
  sprayS: number;
  sprayIps: number;
  /** DPoP scenario: seconds of each of its three runs (plain, DPoP, plain). */
  dpopDurationS: number;
}

function numberFrom(name: string, fallback: number, min = Number.MIN_VALUE): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}`);
  return value;
}

function stringFrom(name: string): string | null {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? null : raw;
}

export function loadConfig(): BenchConfig {
  return {
    rawWarmupS: numberFrom('BENCH_RAW_WARMUP', 1),
    rawDurationS: numberFrom('BENCH_RAW_DURATION', 5),
    rawCallers: numberFrom('BENCH_RAW_CALLERS', 8),
    serverWarmupS: numberFrom('BENCH_SERVER_WARMUP', 45, 0),
    floorWarmupS: numberFrom('BENCH_FLOOR_WARMUP', 30, 0),
    warmupS: numberFrom('BENCH_WARMUP', 3),
    durationS: numberFrom('BENCH_DURATION', 5),
    measureRounds: numberFrom('BENCH_ROUNDS', 4, 1),
    roundRewarmS: numberFrom('BENCH_REWARM', 1, 0),
    connections: numberFrom('BENCH_CONNECTIONS', 12),
    parityRequests: numberFrom('BENCH_PARITY_REQUESTS', 200),
    logLevel: stringFrom('BENCH_LOG_LEVEL') ?? 'info',
    hashConcurrency: stringFrom('BENCH_HASH_CONCURRENCY')
      ? numberFrom('BENCH_HASH_CONCURRENCY', 0, 1)
      : null,
    serverCpus: stringFrom('BENCH_SERVER_CPUS'),
    bareFloor: numberFrom('BENCH_BARE_FLOOR', 0, 0) > 0,
    serverNodeArgs: (stringFrom('BENCH_SERVER_NODE_ARGS') ?? '').split(' ').filter((a) => a !== ''),
    loadgenCpus: stringFrom('BENCH_LOADGEN_CPUS'),
    quietWaitS: numberFrom('BENCH_QUIET_WAIT', 10, 0),
    target: 0.9,
    signDurationS: numberFrom('BENCH_SIGN_DURATION', 3),
    signGrantS: numberFrom('BENCH_SIGN_GRANT_DURATION', 8),
    signTarget: 0.6,
    attackPhaseS: numberFrom('BENCH_ATTACK_PHASE', 10),
    legitShare: numberFrom('BENCH_LEGIT_SHARE', 0.1),
    legitIps: numberFrom('BENCH_LEGIT_IPS', 20, 1),
    attackerIps: numberFrom('BENCH_ATTACKER_IPS', 5, 1),
    attackFactor: numberFrom('BENCH_ATTACK_FACTOR', 10),
    sprayS: numberFrom('BENCH_SPRAY', 6),
    sprayIps: numberFrom('BENCH_SPRAY_IPS', 2000, 1),
    dpopDurationS: numberFrom('BENCH_DPOP_DURATION', 8),
  };
}

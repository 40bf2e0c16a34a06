/**
 * @module bench/scenarios/attack
 *
 * Issue 4's "survive the flood", in one run against one server child:
 *
 * 1. Hash capacity: raw argon2id verifies/s through the server's own hasher (bench/raw-ceiling).
 * 2. Quiet: legitimate logins (right passwords, 40 users) from 20 end-user IPs at a modest
 *    open-loop rate.
 * 3. Attack: the same legitimate load while 5 attacking IPs send wrong passwords for many
 *    usernames at 10 × the hash capacity (bench/flood.ts in its own process). Legitimate
 *    success rate and p99 against the quiet p99; server RSS before and after.
 * 4. Spray: wrong passwords from 2,000 IPs at the same rate: the server must stay up and shed
 *    with 503; then how long until a legitimate login succeeds again once the spray stops.
 *
 * End-user IPs reach the server as `auth0-forwarded-for` from the bench client (trusted,
 * authenticated with its secret) and as `X-Forwarded-For` (the server trusts 127.0.0.1 as a
 * proxy). The attacking range is allowlisted from IP throttling (bench/attack-tenant.ts); the
 * server's own log then shows which ranges were hashed or throttled (bench/attack-events.ts).
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventVerdicts, tallyEvents } from '../attack-events.js';
import {
  type AttackReport,
  attackVerdicts,
  formatAttackReport,
  legitFigures,
} from '../attack-report.js';
import { ALLOWLISTED, attackTenant, CROWD, ipsOf } from '../attack-tenant.js';
import { answers, type ServerChild, startServerChild } from '../children.js';
import { startFlood } from '../flood-runner.js';
import { openLoop, type Sample } from '../open-loop.js';
import { NOISE_CORES } from '../password-report.js';
import { readRssMiB } from '../proc-stats.js';
import { RawCeiling } from '../raw-ceiling.js';
import type { BenchContext, BenchScenario } from '../scenario.js';
import { tokenForm, writeBenchTenant } from '../tenant.js';

/** Legitimate logins: request n comes from IP n mod 20 for a user that rotates per IP. */
function legitRequests(legitIps: string[]) {
  let n = 0;
  return () => {
    const i = n++;
    const ip = legitIps[i % legitIps.length]!;
    const round = Math.floor(i / legitIps.length);
    const user = CROWD[(i + round) % CROWD.length]!;
    return {
      body: tokenForm(user.email, user.password, 'read:data'),
      headers: { 'x-forwarded-for': ip, 'auth0-forwarded-for': ip },
    };
  };
}

/** Raw verifies/s, and whether other processes used CPU meanwhile (then every figure is noise). */
async function hashCapacity(ctx: BenchContext) {
  const raw = await RawCeiling.start(ctx.config.hashConcurrency);
  try {
    await ctx.quiet();
    const slice = await raw.measure({ warmupS: 1, durationS: 3, callers: 8 });
    ctx.log(`attack: hash capacity ${slice.perSecond.toFixed(1)} verifies/s`);
    const noisy = (slice.foreignCores ?? 0) > NOISE_CORES;
    return { perSecond: slice.perSecond, concurrency: slice.hashConcurrency, noisy };
  } finally {
    await raw.stop();
  }
}

/** ms from the probe start until the first 200 arrived. */
function firstSuccess(samples: Sample[]): number | null {
  const done = samples.filter((s) => s.status === 200).map((s) => s.sentAt + s.ms);
  return done.length ? Math.min(...done) : null;
}

async function measure(ctx: BenchContext, server: ServerChild, capacity: number) {
  const { config } = ctx;
  const { url, pid } = server;
  const legit = legitRequests(ipsOf('legit', config.legitIps));
  const legitRate = Math.max(2, config.legitShare * capacity);
  const legitLoop = (durationS: number, rate = legitRate) =>
    openLoop({ url, rate, durationS, request: legit });
  const rate = config.attackFactor * capacity;
  const rss = [readRssMiB(pid)];

  ctx.log(
    `attack: quiet phase, ${legitRate.toFixed(1)} legitimate logins/s for ${config.attackPhaseS} s`,
  );
  const quiet = legitFigures(await legitLoop(config.attackPhaseS));
  rss.push(readRssMiB(pid));

  ctx.log(`attack: ${config.attackerIps} IPs at ${rate.toFixed(0)} wrong passwords/s`);
  const attackers = ipsOf('attack', config.attackerIps);
  const flood = await startFlood();
  const attackRun = flood.run({
    url,
    ips: attackers,
    rate,
    durationS: config.attackPhaseS + 1,
    connections: 256, // > 5 IPs × the per-IP hash queue (16): the excess is shed
  });
  await sleep(500);
  const underAttack = legitFigures(await legitLoop(config.attackPhaseS));
  const attack = await attackRun;
  rss.push(readRssMiB(pid));

  ctx.log(`attack: spray from ${config.sprayIps} IPs for ${config.sprayS} s`);
  const sprayIps = ipsOf('spray', config.sprayIps);
  const sprayFlood = await startFlood();
  const sprayRun = sprayFlood.run({
    url,
    ips: sprayIps,
    rate,
    durationS: config.sprayS,
    connections: 128,
  });
  const legitDuring = legitFigures(await legitLoop(Math.max(1, config.sprayS - 1)));
  const spray = await sprayRun;
  const probes = await legitLoop(2, 50);
  const recoveryMs = firstSuccess(probes);
  const up = await answers(url);
  rss.push(readRssMiB(pid));
  return {
    quiet,
    underAttack,
    attack: {
      ...attack,
      timesCapacity: attack.perSecond / capacity,
      offeredTimesCapacity: config.attackFactor,
    },
    p99Ratio: underAttack.p99Ms / quiet.p99Ms,
    rssMiB: rss,
    spray: { ...spray, ips: config.sprayIps, legitDuring },
    recoveryMs,
    alive: up,
  };
}

/** One legitimate login must succeed before any load. */
async function check(url: string): Promise<void> {
  const { body, headers } = legitRequests(['198.51.100.250'])();
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  if (response.status !== 200)
    throw new Error(`legit login: ${response.status} ${await response.text()}`);
}

async function run(ctx: BenchContext) {
  const dir = join(ctx.dir, 'attack');
  const { perSecond: capacity, concurrency, noisy } = await hashCapacity(ctx);
  const server = await startServerChild({
    dataDir: join(dir, 'data'),
    tenantFile: writeBenchTenant(dir, attackTenant()),
    logLevel: ctx.config.logLevel,
    cpus: ctx.config.serverCpus,
    nodeArgs: ctx.config.serverNodeArgs,
    logFile: join(dir, 'server.log'),
    serveArgs: ['--trust-proxy', '127.0.0.1'],
  });
  try {
    ctx.log(`attack: server ${server.url} (pid ${server.pid})`);
    await check(server.url);
    await ctx.quiet();
    const figures = await measure(ctx, server, capacity);
    const events = tallyEvents(server.logFile);
    const partial = {
      hashCapacity: capacity,
      hashConcurrency: concurrency,
      allowlisted: ALLOWLISTED,
      events,
      ...figures,
    };
    const verdicts = { ...attackVerdicts(partial), ...eventVerdicts(events) };
    const pass = Object.values(verdicts).every(Boolean);
    const report: AttackReport = { ...partial, pass };
    return { pass, noisy, lines: formatAttackReport(report), json: report };
  } finally {
    await server.stop();
  }
}

export const attackScenario: BenchScenario = { name: 'attack', run };

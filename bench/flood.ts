/**
 * @module bench/flood
 *
 * Child-process script: a flood of wrong-password logins, each from one of `ips` end-user IPs
 * in turn (sent as `X-Forwarded-For` through the server's trusted proxy and as
 * `auth0-forwarded-for` from the trusted bench client) and for one of many usernames, so no
 * brute-force counter of one user reaches its threshold. In its own process so the load it
 * generates does not delay the measurement of the legitimate requests in the parent. The
 * parent sends one {@link FloodRequest} over IPC and gets one {@link FloodResult} back.
 *
 * The requests are paced evenly (a few every 2 ms), not in bursts: autocannon's `overallRate`
 * gives each connection a quota per second on timers that all start together, so every second
 * began with hundreds of requests at once and then went quiet. A send that finds all
 * `connections` busy is skipped (counted in `skipped`): the flood never queues on the client
 * side, and `perSecond` is what the server answered.
 *
 * The attacker's CPU is not the server's in a real attack, but here both share two cores, so
 * the generator is as light as it can be ({@link KeepAliveConnection}: HTTP/1.1 written and read
 * directly, no HTTP client library). Its CPU time is reported (`cpuMs`).
 *
 * Usage: spawned by bench/flood-runner.ts with an IPC channel.
 */
import { performance } from 'node:perf_hooks';
import { type ConnectionEvents, KeepAliveConnection, tokenRequestText } from './raw-http.js';
import { BENCH_API, BENCH_CLIENT } from './tenant.js';

export interface FloodRequest {
  url: string;
  /** End-user IPs the requests come from, in turn. */
  ips: string[];
  /** Requests per second offered, evenly spaced. */
  rate: number;
  durationS: number;
  /** Requests in flight at most (keep-alive connections). */
  connections: number;
}

export interface FloodResult {
  sent: number;
  /** Sends skipped because every connection was waiting for an answer. */
  skipped: number;
  seconds: number;
  /** Answers per second. */
  perSecond: number;
  statusCodes: Record<string, number>;
  /** Socket errors and connections closed with a request in flight. */
  errors: number;
  /** CPU time this generator used (user + system), ms. */
  cpuMs: number;
}

/** Distinct usernames cycled through (many more than requests per IP and user). */
const USERNAMES = 50_000;
/** Pacing tick (ms). */
const TICK_MS = 2;

function floodBody(i: number): string {
  return new URLSearchParams({
    grant_type: 'password',
    client_id: BENCH_CLIENT.id,
    client_secret: BENCH_CLIENT.secret,
    username: `stuffed-${i % USERNAMES}@bench.latchkey.test`,
    password: `wrong-password-${i}`,
    audience: BENCH_API,
    scope: 'read:data',
  }).toString();
}

function requestText(host: string, ip: string, body: string): string {
  const headers = {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Forwarded-For': ip,
    'Auth0-Forwarded-For': ip,
  };
  return tokenRequestText(host, body, headers);
}

class Tally {
  sent = 0;
  skipped = 0;
  errors = 0;
  readonly statusCodes: Record<string, number> = {};
  count(status: number): void {
    this.statusCodes[status] = (this.statusCodes[status] ?? 0) + 1;
  }
}

async function flood(request: FloodRequest): Promise<FloodResult> {
  const url = new URL(request.url);
  const tally = new Tally();
  const idle: KeepAliveConnection[] = [];
  const all: KeepAliveConnection[] = [];
  const events: ConnectionEvents = {
    response(c, status) {
      tally.count(status);
      idle.push(c);
    },
    closed(_c, inFlight) {
      if (inFlight) tally.errors++;
    },
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + request.durationS * 1000;
  let due = 0;
  const sendNext = () => {
    let c = idle.pop();
    while (c?.closed) c = idle.pop();
    if (!c && all.filter((x) => !x.closed).length < request.connections) {
      c = new KeepAliveConnection(url, events);
      all.push(c);
    }
    if (!c) {
      tally.skipped++;
      return;
    }
    const ip = request.ips[due % request.ips.length] ?? '127.0.0.1';
    tally.sent++;
    c.send(requestText(url.host, ip, floodBody(due)));
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Math.min(performance.now(), end);
      const target = Math.floor(((now - start) / 1000) * request.rate);
      for (; due < target; due++) sendNext();
      if (now >= end) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  while (all.some((c) => c.busy && !c.closed)) await new Promise((r) => setTimeout(r, 10));
  const seconds = (performance.now() - start) / 1000;
  for (const c of all) c.destroy();
  const used = process.cpuUsage(cpu);
  const answered = Object.values(tally.statusCodes).reduce((a, b) => a + b, 0);
  return {
    sent: tally.sent,
    skipped: tally.skipped,
    seconds,
    perSecond: answered / seconds,
    statusCodes: tally.statusCodes,
    errors: tally.errors,
    cpuMs: (used.user + used.system) / 1000,
  };
}

function main(): void {
  const reply = process.send?.bind(process);
  if (!reply) throw new Error('flood must be spawned with an IPC channel');
  process.once('message', (request: FloodRequest) => {
    flood(request).then(
      (result) => reply({ result }),
      (err: unknown) => reply({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.once('disconnect', () => process.exit(0));
  reply({ ready: true });
}

main();

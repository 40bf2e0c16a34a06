/**
 * @module bench/flood
 *
 * Child-process script: a flood of wrong-password logins, each from one of `ips` end-user IPs
 * in turn (sent as `X-Forwarded-For` through the server's trusted proxy and as
 * `auth0-forwarded-for` from the trusted bench client) and for one of many usernames, so no
 * brute-force counter of one user reaches its threshold. Driven by autocannon at a fixed
 * overall rate, in its own process so the load it generates does not delay the measurement of
 * the legitimate requests in the parent. The parent sends one {@link FloodRequest} over IPC and
 * gets one {@link FloodResult} back.
 *
 * Usage: spawned by bench/flood-runner.ts with an IPC channel.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';
import { BENCH_API, BENCH_CLIENT } from './tenant.js';

export interface FloodRequest {
  url: string;
  /** End-user IPs the requests come from, in turn. */
  ips: string[];
  /** Requests per second over all connections. */
  rate: number;
  durationS: number;
  connections: number;
}

export interface FloodResult {
  sent: number;
  seconds: number;
  perSecond: number;
  statusCodes: Record<string, number>;
  /** Socket errors and timeouts. */
  errors: number;
}

/** Distinct usernames cycled through (many more than requests per IP and user). */
const USERNAMES = 50_000;

function floodRequest(ips: string[]): AutocannonRequest {
  let n = 0;
  return {
    method: 'POST',
    path: '/oauth/token',
    setupRequest: (request) => {
      const i = n++;
      const ip = ips[i % ips.length] ?? '127.0.0.1';
      return {
        ...request,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': ip,
          'auth0-forwarded-for': ip,
        },
        body: new URLSearchParams({
          grant_type: 'password',
          client_id: BENCH_CLIENT.id,
          client_secret: BENCH_CLIENT.secret,
          username: `stuffed-${i % USERNAMES}@bench.latchkey.test`,
          password: `wrong-password-${i}`,
          audience: BENCH_API,
          scope: 'read:data',
        }).toString(),
      };
    },
  };
}

async function flood(request: FloodRequest): Promise<FloodResult> {
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.durationS,
    overallRate: request.rate,
    timeout: 30,
    requests: [floodRequest(request.ips)],
  });
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]),
  );
  const sent = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    sent,
    seconds: result.duration,
    perSecond: sent / result.duration,
    statusCodes,
    errors: result.errors + result.timeouts,
  };
}

function main(): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('flood must be spawned with an IPC channel');
  process.once('message', (request: FloodRequest) => {
    flood(request).then(
      (result) => send({ result }),
      (err: unknown) => send({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.once('disconnect', () => process.exit(0));
  send({ ready: true });
}

main();

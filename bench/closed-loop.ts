/**
 * @module bench/closed-loop
 *
 * Saturation load from this process: `connections` keep-alive connections, each sending its
 * next `POST /oauth/token` as soon as the previous answer is in, for `durationS`. Every request
 * is timed on its own. Answers that arrive after the end are awaited (so the server is idle
 * again for whatever comes next) but not counted. Built on {@link KeepAliveConnection}, so the
 * generator takes as little as possible of the CPU it shares with the server.
 */
import { performance } from 'node:perf_hooks';
import { percentile } from './open-loop.js';
import { type ConnectionEvents, KeepAliveConnection, tokenRequestText } from './raw-http.js';

/** The n-th request's form body and extra headers. */
export type RequestSource = (n: number) => { body: string; headers?: Record<string, string> };

export interface ClosedLoopOptions {
  url: string;
  connections: number;
  durationS: number;
  request: RequestSource;
  /** Called once when the window closes (before the late answers are awaited). */
  atEnd?: () => void;
}

export interface ClosedLoopResult {
  seconds: number;
  /** Answers within the window, by status code. */
  statusCodes: Record<string, number>;
  ok: number;
  /** Non-2xx answers plus connections lost with a request in flight. */
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Every answered request's latency (ms) within the window, in order of arrival. */
  latencies: number[];
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
/** How long answers are awaited after the window before their connections are dropped. */
const DRAIN_TIMEOUT_MS = 30_000;

/** Latency figures in ms, rounded to 0.1 ms. */
export function summarizeLatencies(latencies: number[]): ClosedLoopResult['latencyMs'] {
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const mean = latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1);
  const at = (p: number) => round(percentile(latencies, p));
  return { p50: at(50), p90: at(90), p99: at(99), max: at(100), mean: round(mean) };
}

/** Runs the loop; resolves once every connection is idle or closed after the window. */
export function closedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const url = new URL(options.url);
  const statusCodes: Record<string, number> = {};
  const latencies: number[] = [];
  let lost = 0;
  let n = 0;
  const sentAt = new Map<KeepAliveConnection, number>();
  const start = performance.now();
  const end = start + options.durationS * 1000;
  return new Promise((resolve) => {
    let open = 0;
    const windowEnd = setTimeout(() => options.atEnd?.(), end - start);
    const drain = setTimeout(
      () => {
        for (const c of sentAt.keys()) if (c.busy) c.destroy();
      },
      end - start + DRAIN_TIMEOUT_MS,
    );
    const done = () => {
      if (--open > 0) return;
      clearTimeout(drain);
      clearTimeout(windowEnd);
      const ok = Object.entries(statusCodes)
        .filter(([code]) => code.startsWith('2'))
        .reduce((sum, [, count]) => sum + count, 0);
      const answered = Object.values(statusCodes).reduce((a, b) => a + b, 0);
      resolve({
        seconds: options.durationS,
        statusCodes,
        ok,
        errors: answered - ok + lost,
        latencyMs: summarizeLatencies(latencies),
        latencies,
      });
    };
    const send = (c: KeepAliveConnection) => {
      const { body, headers } = options.request(n++);
      sentAt.set(c, performance.now());
      c.send(tokenRequestText(url.host, body, { ...FORM, ...headers }));
    };
    const events: ConnectionEvents = {
      response(c, status) {
        const now = performance.now();
        if (now <= end) {
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          latencies.push(now - (sentAt.get(c) ?? now));
          send(c);
          return;
        }
        c.destroy();
      },
      closed(_c, inFlight) {
        if (inFlight) lost++; // lost in the window, or never answered after it
        done();
      },
    };
    for (let i = 0; i < options.connections; i++) {
      open++;
      send(new KeepAliveConnection(url, events));
    }
  });
}

/**
 * @module bench/open-loop
 *
 * Open-loop request generation from this process: one request every 1/rate seconds whatever
 * the answers take (so a slow server cannot slow the offered load down and hide its latency),
 * each timed on its own. Used for the legitimate logins of the attack scenario.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Sample {
  /** ms since the loop started when the request was sent. */
  sentAt: number;
  /** ms until the whole answer was read. */
  ms: number;
  /** HTTP status, or 0 for a network error. */
  status: number;
}

export interface OpenLoopOptions {
  url: string;
  /** Requests per second. */
  rate: number;
  durationS: number;
  /** The n-th request's body and headers. */
  request(n: number): { body: string; headers: Record<string, string> };
}

async function timed(url: string, sentAt: number, init: RequestInit): Promise<Sample> {
  const start = performance.now();
  try {
    const response = await fetch(`${url}/oauth/token`, init);
    await response.arrayBuffer();
    return { sentAt, ms: performance.now() - start, status: response.status };
  } catch {
    return { sentAt, ms: performance.now() - start, status: 0 };
  }
}

/** Sends `rate × durationS` requests on schedule and resolves once every answer is in. */
export async function openLoop(options: OpenLoopOptions): Promise<Sample[]> {
  const origin = performance.now();
  const count = Math.round(options.rate * options.durationS);
  const pending: Array<Promise<Sample>> = [];
  for (let n = 0; n < count; n++) {
    const due = origin + (n * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const { body, headers } = options.request(n);
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    };
    pending.push(timed(options.url, performance.now() - origin, init));
  }
  return Promise.all(pending);
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/**
 * @module bench/parity
 *
 * Timing parity of failed logins: sequential wrong-password requests for an existing user and
 * for an unknown user, interleaved so drift affects both alike. Both must answer 403; the
 * medians should be equal (ratio ≈ 1), or response time would reveal which accounts exist.
 */
import { performance } from 'node:perf_hooks';
import { BENCH_USERS, SCOPES, tokenForm } from './tenant.js';

export interface ParityResult {
  requestsEach: number;
  existingMedianMs: number;
  unknownMedianMs: number;
  /** existing ÷ unknown. */
  ratio: number;
  /** Responses that were not 403. */
  unexpected: number;
}

const WARMUP = 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds for one request, and whether it got the expected 403. */
async function timed(url: string, body: string): Promise<{ ms: number; ok: boolean }> {
  const start = performance.now();
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  await response.arrayBuffer();
  return { ms: performance.now() - start, ok: response.status === 403 };
}

export async function measureParity(url: string, requestsEach: number): Promise<ParityResult> {
  const user = BENCH_USERS[0]!;
  const existing = tokenForm(user.email, 'definitely-not-the-password', SCOPES.accessOnly);
  const unknown = tokenForm(
    'nobody@bench.latchkey.test',
    'definitely-not-the-password',
    SCOPES.accessOnly,
  );
  const times = { existing: [] as number[], unknown: [] as number[] };
  let unexpected = 0;
  for (let i = 0; i < WARMUP + requestsEach; i++) {
    // Alternate which kind goes first so neither always follows the other.
    const order =
      i % 2 === 0 ? (['existing', 'unknown'] as const) : (['unknown', 'existing'] as const);
    for (const kind of order) {
      const { ms, ok } = await timed(url, kind === 'existing' ? existing : unknown);
      if (i < WARMUP) continue;
      if (!ok) unexpected++;
      times[kind].push(ms);
    }
  }
  const existingMedianMs = median(times.existing);
  const unknownMedianMs = median(times.unknown);
  return {
    requestsEach,
    existingMedianMs,
    unknownMedianMs,
    ratio: existingMedianMs / unknownMedianMs,
    unexpected,
  };
}

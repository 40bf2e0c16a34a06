/**
 * @module bench/attack-report
 *
 * Figures and verdicts of the attack scenario, as JSON and as text.
 */
import { type EventTally, eventVerdicts, formatEvents } from './attack-events.js';
import type { FloodResult } from './flood.js';
import { percentile, type Sample } from './open-loop.js';

export interface LegitFigures {
  requests: number;
  ok: number;
  successRate: number;
  statusCodes: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
}

export interface AttackReport {
  /** Raw argon2id verifies/s with the server's pool (the hash capacity). */
  hashCapacity: number;
  /** Jobs that pool runs at once (the server's too). */
  hashConcurrency: number;
  /** Attack-protection allowlists of the tenant (setting → CIDRs). */
  allowlisted: Record<string, string[]>;
  /** The server's auth events by end-user IP range, null without an info-level log. */
  events: EventTally | null;
  quiet: LegitFigures;
  underAttack: LegitFigures;
  attack: FloodResult & { timesCapacity: number; offeredTimesCapacity: number };
  /** underAttack p99 ÷ quiet p99. */
  p99Ratio: number;
  /** Server RSS in MiB: start, after the quiet phase, after the attack, after the spray. */
  rssMiB: Array<number | null>;
  spray: FloodResult & { ips: number; legitDuring: LegitFigures };
  /** ms from the end of the spray until a legitimate login got its 200, null if none did. */
  recoveryMs: number | null;
  /** The server answered its discovery document after the spray. */
  alive: boolean;
  pass: boolean;
}

export function legitFigures(samples: Sample[]): LegitFigures {
  const statusCodes: Record<string, number> = {};
  for (const s of samples) statusCodes[s.status] = (statusCodes[s.status] ?? 0) + 1;
  const ok = samples.filter((s) => s.status === 200);
  const ms = samples.map((s) => s.ms);
  return {
    requests: samples.length,
    ok: ok.length,
    successRate: samples.length ? ok.length / samples.length : 0,
    statusCodes,
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
  };
}

/** Targets: success ≥ 99 %, p99 ≤ 3 × quiet, shedding with 503, recovery ≤ 1 s, RSS flat. */
export function attackVerdicts(r: Omit<AttackReport, 'pass'>): Record<string, boolean> {
  const [, afterQuiet, , afterSpray] = r.rssMiB;
  return {
    'legit success ≥ 99 %': r.underAttack.successRate >= 0.99,
    'p99 ≤ 3 × quiet': r.p99Ratio <= 3,
    'spray shed with 503': (r.spray.statusCodes['503'] ?? 0) > 0,
    'server up after spray': r.alive,
    'recovery ≤ 1 s': r.recoveryMs !== null && r.recoveryMs <= 1000,
    'attack not throttled (no 429)': (r.attack.statusCodes['429'] ?? 0) === 0,
    'RSS flat (≤ +64 MiB)':
      afterQuiet == null || afterSpray == null || afterSpray - afterQuiet <= 64,
  };
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const pct = (n: number) => `${(n * 100).toFixed(2)} %`;
const codes = (c: Record<string, number>) =>
  Object.entries(c)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');

function legitLine(label: string, l: LegitFigures): string {
  return (
    `${label.padEnd(28)} ${String(l.requests).padStart(5)} requests, ${pct(l.successRate).padStart(8)} ok, ` +
    `p50 ${f1(l.p50Ms)} ms, p99 ${f1(l.p99Ms)} ms (${codes(l.statusCodes)})`
  );
}

export function formatAttackReport(r: AttackReport): string[] {
  const rss = r.rssMiB.map((m) => (m === null ? 'n/a' : f1(m))).join(' → ');
  const lines = [
    '## attack: legitimate logins during a flood and a spray',
    `hash capacity (raw argon2id, pool of ${r.hashConcurrency}): ${f1(r.hashCapacity)} verifies/s; end-user IP sent as ` +
      `auth0-forwarded-for (trusted client) and X-Forwarded-For (127.0.0.1 a trusted proxy); ` +
      `allowlisted: ${Object.entries(r.allowlisted)
        .map(([k, v]) => `${k} ${v.join(', ')}`)
        .join('; ')}; account_throttling and same_user_ip_limit at their defaults`,
    legitLine('legit, quiet', r.quiet),
    legitLine('legit, under attack', r.underAttack),
    `attack: ${r.attack.sent} wrong passwords, offered at ${f1(r.attack.offeredTimesCapacity)} × capacity, answered ${f1(r.attack.perSecond)}/s = ${f1(r.attack.timesCapacity)} × capacity ` +
      `(${codes(r.attack.statusCodes)}; socket errors ${r.attack.errors}; skipped, all connections busy: ${r.attack.skipped}; generator CPU ${Math.round(r.attack.cpuMs)} ms)`,
    `p99 under attack ÷ quiet p99: ${f2(r.p99Ratio)}; server RSS MiB (start → quiet → attack → spray): ${rss}`,
    `spray from ${r.spray.ips} IPs: ${r.spray.sent} requests, ${f1(r.spray.perSecond)}/s ` +
      `(${codes(r.spray.statusCodes)}; socket errors ${r.spray.errors}; skipped: ${r.spray.skipped})`,
    legitLine('legit, during the spray', r.spray.legitDuring),
    `after the spray: server ${r.alive ? 'up' : 'DOWN'}; first legitimate 200 ` +
      `${r.recoveryMs === null ? 'never came' : `${f1(r.recoveryMs)} ms after the spray stopped`}`,
  ];
  lines.push(formatEvents(r.events));
  const verdicts = { ...attackVerdicts(r), ...eventVerdicts(r.events) };
  lines.push(
    `targets: ${Object.entries(verdicts)
      .map(([name, ok]) => `${name} ${ok ? 'PASS' : 'FAIL'}`)
      .join('; ')}`,
  );
  return lines;
}

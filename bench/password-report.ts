/**
 * @module bench/password-report
 *
 * The password scenario's results (grant vs raw argon2id, timing parity) as JSON and as a
 * compact text table; the machine description every report starts with.
 */
import { createRequire } from 'node:module';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import type { CeilingResult } from './argon2-ceiling.js';
import type { BenchConfig } from './config.js';
import type { ScenarioResult } from './load.js';
import type { ParityResult } from './parity.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  uvThreadpoolSize: string;
}

export interface ScenarioReport extends ScenarioResult {
  name: string;
  /** Mean over the rounds of the two raw slices around each (what {@link ratio} compares with). */
  rawPerSecond: number;
  /** Median of {@link roundRatios}: the figure held to the target. */
  ratio: number;
  /** Each round's req/s ÷ the mean of the two raw slices around it, in order. */
  roundRatios: number[];
  /**
   * Cores used by the server's non-main threads (argon2) ÷ cores used by the bracketing raw
   * slices: a CPU-based cross-check of {@link ratio} that the host's drifting per-verify speed
   * does not affect. Null without /proc.
   */
  hashCoreShare: number | null;
  /** Mean CPU per verification (ms) of the raw slices around the rounds. */
  rawCpuMsPerVerify: number;
  /** Measured for comparison only (the floor): its `pass` is always true. */
  reference: boolean;
  pass: boolean;
}

export interface RawSummary {
  /** Mean of the slices. */
  perSecond: number;
  min: number;
  max: number;
  slices: CeilingResult[];
}

export interface PasswordReport {
  raw: RawSummary;
  scenarios: ScenarioReport[];
  parity: ParityResult;
  pass: boolean;
  /** True when other processes used more than {@link NOISE_CORES} during a measurement. */
  noisy: boolean;
}

/** Foreign CPU (cores) above which a measurement is flagged as disturbed. */
export const NOISE_CORES = 0.1;

export function summarizeRaw(slices: CeilingResult[]): RawSummary {
  const rates = slices.map((s) => s.perSecond);
  const perSecond = rates.reduce((a, b) => a + b, 0) / rates.length;
  return { perSecond, min: Math.min(...rates), max: Math.max(...rates), slices };
}

/** Whether any measurement ran beside noticeable foreign CPU load. */
export function isNoisy(slices: CeilingResult[], scenarios: ScenarioResult[]): boolean {
  const foreign = [...slices, ...scenarios].map((s) => s.foreignCores);
  return foreign.some((c) => (c ?? 0) > NOISE_CORES);
}

const { defaultThreadpoolSize } = createRequire(import.meta.url)('../bin/threadpool.cjs') as {
  defaultThreadpoolSize(cores: number): number;
};

/** The libuv pool the children run with: what bin/threadpool.cjs sets (children.ts). */
function childThreadpool(): string {
  return `${defaultThreadpoolSize(availableParallelism())} (bin/threadpool.cjs: cores + 3)`;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    uvThreadpoolSize: childThreadpool(),
  };
}

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);
const cores = (n: number | null) => (n === null ? 'n/a' : n.toFixed(2));

function row(cells: string[]): string {
  const widths = [27, 8, 9, 6, 7, 7, 7, 14];
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
}

function details(report: PasswordReport, target: number): string[] {
  const { raw } = report;
  const lines = [
    `raw slices (verifies/s, in order): ${raw.slices.map((s) => f1(s.perSecond)).join(', ')}; ` +
      `CPU ms/verify ${raw.slices.map((s) => f2(s.cpuMsPerVerify)).join(', ')}; ` +
      `cores busy ${raw.slices.map((s) => f2(s.cpuCores)).join(', ')}; ` +
      `other processes ${raw.slices.map((s) => cores(s.foreignCores)).join(', ')}`,
  ];
  for (const s of report.scenarios) {
    lines.push(
      `${s.name}: round ratios ${s.roundRatios.map(f2).join(', ')} (median ${f2(s.ratio)})`,
    );
  }
  for (const s of report.scenarios) {
    const c = s.cpuMsPerRequest;
    const k = s.cores;
    if (!c || !k) continue;
    lines.push(
      `${s.name}: CPU ms/request: server main thread ${f2(c.serverMain)}, other server threads ` +
        `${f2(c.serverOther)}, load generator ${f2(c.loadgen)}; main thread waited ${f2(c.mainWait)} ms ` +
        `for a CPU; cores busy ${f2(k.serverMain)} + ${f2(k.serverOther)} + ${f2(k.loadgen)}; ` +
        `other processes ${cores(s.foreignCores)}; hash core share vs raw ${s.hashCoreShare === null ? 'n/a' : f2(s.hashCoreShare)}`,
    );
  }
  for (const s of report.scenarios) lines.push(...budget(s, target));
  return lines;
}

/**
 * Where a login's CPU beside the hash went, against what the target leaves for it. Both the raw
 * ceiling and the server keep the cores busy, so the ratio is about the raw CPU per verification
 * ÷ the CPU per login (hash, signature, event loop, load generator): at 0.90, a login may spend
 * a ninth of the hash's CPU on everything else.
 */
function budget(s: ScenarioReport, target: number): string[] {
  const c = s.cpuMsPerRequest;
  if (!c || s.reference) return [];
  const hash = s.rawCpuMsPerVerify;
  const allowed = hash * (1 / target - 1);
  const beside = c.serverMain + c.serverOther + c.loadgen - hash;
  return [
    `${s.name}: ${f2(target)} of raw leaves ${f2(allowed)} ms of CPU per login beside argon2id's ` +
      `${f2(hash)} ms; this row used ${f2(beside)} ms beside it (main thread ${f2(c.serverMain)}, ` +
      `other server threads beyond the hash ${f2(c.serverOther - hash)}, load generator ${f2(c.loadgen)})`,
  ];
}

/** The one-line description of the machine every report starts with. */
export function formatMachine(m: Machine): string {
  return (
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, node ${m.node}, ` +
    `UV_THREADPOOL_SIZE ${m.uvThreadpoolSize}`
  );
}

export function formatPasswordReport(report: PasswordReport, config: BenchConfig): string[] {
  const { raw } = report;
  const params = raw.slices[0]?.params;
  const lines = [
    '## password grant vs raw argon2id',
    `argon2id m=${params?.memoryCost} t=${params?.timeCost} p=${params?.parallelism}, hash pool ` +
      `${raw.slices[0]?.hashConcurrency} (server and raw), ${raw.slices.length} raw slices of ` +
      `${config.rawDurationS} s; server warmed up ${config.serverWarmupS} s; grant: ` +
      `${config.connections} connections, ${config.warmupS} s warm-up + ${config.measureRounds} rounds of ` +
      `${config.durationS} s (ratio: median of the rounds); ` +
      `server --log-level ${config.logLevel}` +
      (config.floorWarmupS > 0 ? `; floor warmed up ${config.floorWarmupS} s` : ''),
    '',
    row(['measurement', 'per s', 'raw/s', 'ratio', 'p50 ms', 'p99 ms', 'errors', 'target ≥ 0.90']),
    row(['raw argon2id verify (mean)', f1(raw.perSecond), '', '1.00', '', '', '', '']),
  ];
  for (const s of report.scenarios) {
    const { p50, p99 } = s.latencyMs;
    const verdict = s.reference ? 'reference' : s.pass ? 'PASS' : 'FAIL';
    lines.push(
      row([
        s.name,
        f1(s.perSecond),
        f1(s.rawPerSecond),
        f2(s.ratio),
        `${p50}`,
        `${p99}`,
        `${s.errors}`,
        verdict,
      ]),
    );
  }
  const p = report.parity;
  lines.push(
    '',
    `timing parity (${p.requestsEach} each, sequential, interleaved): median existing user ` +
      `${f2(p.existingMedianMs)} ms, unknown user ${f2(p.unknownMedianMs)} ms, ratio ${f2(p.ratio)}` +
      ` (target within 5 %: ${parityPasses(p) ? 'PASS' : 'FAIL'})` +
      (p.unexpected ? `; ${p.unexpected} answers were not 403!` : ''),
    '',
    ...details(report, config.target),
  );
  if (report.noisy) {
    lines.push(
      `WARNING: other processes used > ${NOISE_CORES} cores during a measurement; rerun when quiet`,
    );
  }
  return lines;
}

/** Medians within 5 % of each other and every answer a 403. */
export function parityPasses(p: ParityResult): boolean {
  return Math.abs(p.ratio - 1) <= 0.05 && p.unexpected === 0;
}

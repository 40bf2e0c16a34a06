/**
 * @module bench/scenario
 *
 * What every benchmark scenario is: a name and a `run` that starts what it needs (server
 * child, raw-ceiling child), measures, stops it all again and returns its own text lines and
 * JSON. `bench/run.ts` runs a plain list of them.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerChild, startFloorChild, startServerChild } from './children.js';
import type { BenchConfig } from './config.js';
import { waitForQuiet } from './proc-stats.js';
import { writeBenchTenant } from './tenant.js';

export interface BenchContext {
  config: BenchConfig;
  /** A temp directory of this run (removed at the end); scenarios make subdirectories. */
  dir: string;
  /** Progress on stderr. */
  log(message: string): void;
  /** Waits (up to `BENCH_QUIET_WAIT`) for other processes to go idle before a measurement. */
  quiet(): Promise<void>;
}

export interface ScenarioOutcome {
  /** Every target met and nothing failed. */
  pass: boolean;
  /** Other processes used noticeable CPU during a measurement. */
  noisy: boolean;
  /** The scenario's part of the printed report. */
  lines: string[];
  /** The scenario's part of bench/results/latest.json. */
  json: unknown;
}

export interface BenchScenario {
  /** Used by `npm run bench -- --only <name>[,<name>]`. */
  name: string;
  run(ctx: BenchContext): Promise<ScenarioOutcome>;
}

/** {@link BenchContext.quiet} for `config`. */
export function quietWaiter(config: BenchConfig, log: (m: string) => void): () => Promise<void> {
  return async () => {
    if (config.quietWaitS <= 0) return;
    const { waitedS, quiet } = await waitForQuiet(config.quietWaitS);
    if (!quiet) {
      log(
        `machine still busy after ${waitedS.toFixed(0)} s; measuring anyway (see "other processes")`,
      );
    } else if (waitedS > 1.5) {
      log(`waited ${waitedS.toFixed(0)} s for other processes to go idle`);
    }
  };
}

/** A server child on the bench tenant, with its data and log in `<run dir>/<name>/`. */
export function startBenchServer(ctx: BenchContext, name: string): Promise<ServerChild> {
  const dir = join(ctx.dir, name);
  const { hashConcurrency } = ctx.config;
  return startServerChild({
    dataDir: join(dir, 'data'),
    tenantFile: writeBenchTenant(dir),
    logLevel: ctx.config.logLevel,
    cpus: ctx.config.serverCpus,
    nodeArgs: ctx.config.serverNodeArgs,
    logFile: join(dir, 'server.log'),
    serveArgs: hashConcurrency === null ? [] : ['--hash-concurrency', String(hashConcurrency)],
  });
}

/** A floor server script (`bench/<name>.ts`), with its log in `<run dir>/<name>/`. */
export function startBenchFloor(
  ctx: BenchContext,
  name: 'floor-server' | 'bare-floor-server',
): Promise<ServerChild> {
  const dir = join(ctx.dir, name);
  mkdirSync(dir, { recursive: true });
  return startFloorChild(`bench/${name}.ts`, ctx.config.hashConcurrency, {
    cpus: ctx.config.serverCpus,
    nodeArgs: ctx.config.serverNodeArgs,
    logFile: join(dir, 'server.log'),
  });
}

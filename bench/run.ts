/**
 * @module bench/run
 *
 * `npm run bench`: every scenario in {@link SCENARIOS}, in order, in one run on this machine;
 * `npm run bench -- --only attack` (comma-separated names) runs a subset. Each scenario starts
 * and stops its own children (see bench/scenarios/). Prints one report and writes the same
 * figures to bench/results/latest.json. Exit code 1 when a target is missed or any request
 * failed. Settings: see {@link loadConfig}.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer, ROOT, stopAllChildren } from './children.js';
import { loadConfig } from './config.js';
import { formatMachine, machine, NOISE_CORES } from './password-report.js';
import { type BenchScenario, quietWaiter, type ScenarioOutcome } from './scenario.js';
import { attackScenario } from './scenarios/attack.js';
import { dpopScenario } from './scenarios/dpop.js';
import { passwordScenario } from './scenarios/password.js';
import { signingScenario } from './scenarios/signing.js';

/** The scenarios of a default run, in order. */
const SCENARIOS: BenchScenario[] = [
  passwordScenario,
  signingScenario,
  dpopScenario,
  attackScenario,
];

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/** The scenarios named by `--only a,b` (all without it). */
function selected(argv: string[]): BenchScenario[] {
  const at = argv.indexOf('--only');
  if (at === -1) return SCENARIOS;
  const names = (argv[at + 1] ?? '').split(',').filter((n) => n !== '');
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes scenario names from: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  return SCENARIOS.filter((s) => names.includes(s.name));
}

/** The data directory of the run, removed at the end and on SIGINT/SIGTERM. */
let tempDir: string | undefined;

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const scenarios = selected(process.argv.slice(2));
  log('building the server (npm run build): the children run the build, as `npm start` does');
  buildServer();
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
  tempDir = dir;
  const outcomes: Array<ScenarioOutcome & { name: string }> = [];
  try {
    const ctx = { config, dir, log, quiet: quietWaiter(config, log) };
    for (const scenario of scenarios) {
      log(`scenario ${scenario.name}`);
      outcomes.push({ name: scenario.name, ...(await scenario.run(ctx)) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const totalSeconds = (Date.now() - started) / 1000;
  const pass = outcomes.every((o) => o.pass);
  const noisy = outcomes.some((o) => o.noisy);
  const lines = [
    '',
    `Latchkey bench — ${new Date(started).toISOString()}`,
    formatMachine(machine()),
  ];
  for (const outcome of outcomes) lines.push('', ...outcome.lines);
  if (noisy)
    lines.push('', `WARNING: other processes used > ${NOISE_CORES} cores during a measurement`);
  lines.push('', `overall: ${pass ? 'PASS' : 'FAIL'} (${totalSeconds.toFixed(1)} s)`);
  process.stdout.write(`${lines.join('\n')}\n`);

  const report = {
    date: new Date(started).toISOString(),
    machine: machine(),
    config,
    scenarios: Object.fromEntries(
      outcomes.map((o) => [o.name, { pass: o.pass, ...(o.json as object) }]),
    ),
    pass,
    noisy,
    totalSeconds,
  };
  const results = join(ROOT, 'bench', 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${join(results, 'latest.json')}`);
  if (!pass) process.exitCode = 1;
}

async function cleanUp(): Promise<void> {
  await stopAllChildren();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping children`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (err) {
  await cleanUp();
  process.stderr.write(
    `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
}

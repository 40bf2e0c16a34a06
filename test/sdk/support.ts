/**
 * Shared plumbing of the SDK compatibility tests: the tenant they log in to, the child processes
 * that run an SDK (`node --import tsx test/sdk/clients/<script>`), and the prerequisite rule
 * (a missing prerequisite fails the test when `CI=true` and skips it, saying why, elsewhere).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { childEnv, ROOT } from '../helpers/cli.js';
import { ALICE, baseTenant, DB, SECRET } from '../helpers/fixtures.js';

export const CI = process.env.CI === 'true';

/** What every client script prints: one JSON line, one entry per step it ran. */
export interface ClientReport {
  steps: Record<string, StepReport>;
}

export type StepReport =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; error: Record<string, unknown> };

export interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: ClientReport;
}

/** The environment every client script reads (the user and client of the base tenant). */
export function clientEnv(extra: Record<string, string>): Record<string, string> {
  return {
    SDK_CLIENT_ID: 'backend',
    SDK_CLIENT_SECRET: SECRET,
    SDK_USERNAME: ALICE.email,
    SDK_PASSWORD: ALICE.password,
    SDK_REALM: DB,
    ...extra,
  };
}

/** The base tenant; `origins` become the `allowed_origins` of the public client `cli`. */
export function sdkTenant(origins: string[] = []): Record<string, unknown> {
  const { tenant } = baseTenant();
  for (const client of tenant.clients as Array<Record<string, unknown>>) {
    if (client.client_id === 'cli' && origins.length > 0) client.allowed_origins = origins;
  }
  return tenant;
}

const children = new Set<ChildProcess>();

/**
 * Runs `test/sdk/clients/<script>` to completion (SIGKILL after `timeoutMs`) and parses the last
 * line of its stdout. The parent's `NODE_EXTRA_CA_CERTS` is never inherited: only `env` sets it.
 */
export function runClient(
  script: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ClientRun> {
  const base = childEnv(env);
  if (env.NODE_EXTRA_CA_CERTS === undefined) delete base.NODE_EXTRA_CA_CERTS;
  const child = spawn(process.execPath, ['--import', 'tsx', `test/sdk/clients/${script}`], {
    cwd: ROOT,
    env: base,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise<ClientRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      children.delete(child);
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ code, stdout, stderr, report: JSON.parse(last) as ClientReport });
      } catch {
        const why = signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : `exit ${code}`;
        reject(new Error(`${script} printed no JSON report (${why})\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** SIGKILLs every client still running (an `after` hook). */
export async function killClients(): Promise<void> {
  const waits: Array<Promise<void>> = [];
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    waits.push(new Promise<void>((resolve) => child.once('exit', () => resolve())));
    child.kill('SIGKILL');
  }
  await Promise.all(waits);
}

/** The successful value of a step, or a failed assertion that shows what happened instead. */
export function okValue(report: ClientReport, step: string): Record<string, unknown> {
  const entry = report.steps[step];
  if (entry === undefined) throw new Error(`step ${step} did not run`);
  if (!entry.ok) throw new Error(`step ${step} failed: ${JSON.stringify(entry.error)}`);
  return entry.value;
}

/** The error of a step that was meant to fail. */
export function errorOf(report: ClientReport, step: string): Record<string, unknown> {
  const entry = report.steps[step];
  if (entry === undefined) throw new Error(`step ${step} did not run`);
  if (entry.ok) throw new Error(`step ${step} succeeded: ${JSON.stringify(entry.value)}`);
  return entry.error;
}

/**
 * The node:test options for a suite that needs something this machine may lack: `missing` is
 * why it cannot run, or undefined. Outside CI the suite is skipped with that reason; in CI it
 * runs, and {@link requirePrerequisite} fails it.
 */
export function prerequisite(missing: string | undefined): { skip?: string } {
  return missing !== undefined && !CI ? { skip: missing } : {};
}

export function requirePrerequisite(missing: string | undefined): void {
  if (missing !== undefined) throw new Error(`${missing} (required when CI=true)`);
}

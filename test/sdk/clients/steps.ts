/**
 * The step runner of the client scripts: each step is an SDK call that is expected to succeed or
 * to fail. Results are gathered and printed as ONE JSON line (`{ steps: { name: … } }`); the
 * process exits 1 when a step did not end as expected (or something outside the steps threw).
 */
import { decodeJwt } from 'jose';

type StepReport =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; error: Record<string, unknown> };

export type Expect = 'ok' | 'error';

const steps: Record<string, StepReport> = {};
let unexpected = 0;

/** A required environment variable. */
export function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

const FIELDS = ['error', 'error_description', 'statusCode', 'status', 'code'] as const;

/** What a thrown value says about itself, as plain JSON. */
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) {
    return { thrown: typeof err === 'object' && err !== null ? { ...err } : String(err) };
  }
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  const fields = err as unknown as Record<string, unknown>;
  for (const field of FIELDS) {
    const value = fields[field];
    if (value !== undefined && typeof value !== 'object') out[field] = value;
  }
  if (err.cause !== undefined) out.cause = describeError(err.cause);
  return out;
}

/** The claims of a JWT (already verified by the SDK, or not a JWT: then undefined). */
export function claims(token: unknown): Record<string, unknown> | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

/** Runs one step and records how it ended. */
export async function step<T extends Record<string, unknown>>(
  name: string,
  expect: Expect,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    const value = await run();
    steps[name] = { ok: true, value };
    if (expect !== 'ok') unexpected++;
    return value;
  } catch (err) {
    steps[name] = { ok: false, error: describeError(err) };
    if (expect !== 'error') unexpected++;
    return undefined;
  }
}

/** Runs `main`, prints the report line and sets the exit code. */
export async function runSteps(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    steps.main = { ok: false, error: describeError(err) };
    unexpected++;
  }
  process.stdout.write(`${JSON.stringify({ steps })}\n`);
  process.exitCode = unexpected === 0 ? 0 : 1;
}

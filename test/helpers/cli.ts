/**
 * Runs the `latchkey` CLI from source (`node --require ./bin/threadpool.cjs --import tsx
 * scripts/latchkey-dev.ts …`) as a child
 * process, for tests of the command line and of what survives a restart or a `kill -9`.
 *
 * Every child is tracked: call {@link killAll} in `after` so that none outlives a failing test.
 * Temporary directories made with {@link tempDir} are removed by {@link removeTempDirs}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (where `scripts/latchkey-dev.ts` lives). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** As `bin/latchkey.cjs` does: the threadpool is sized before tsx's loader starts it. */
export const ENTRY = [
  '--require',
  join(ROOT, 'bin/threadpool.cjs'),
  '--import',
  'tsx',
  'scripts/latchkey-dev.ts',
];
const DEFAULT_TIMEOUT_MS = 60_000;

export interface CliResult {
  /** Exit code, or null when the process ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Extra environment variables (every inherited `LATCHKEY_*` variable is removed first). */
  env?: Record<string, string>;
  /** The child is killed (SIGKILL) after this long; default 20 s. */
  timeoutMs?: number;
}

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

/** The parent's environment without `LATCHKEY_*` (and the test runner's markers), plus `extra`. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('LATCHKEY_') || name.startsWith('NODE_TEST')) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [...ENTRY, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Collects a child's output and resolves when it has exited and its pipes are drained. */
function collect(child: ChildProcess): {
  exited: Promise<CliResult>;
  stdout(): string;
  stderr(): string;
} {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    // 'close' comes after 'exit' once stdout and stderr are fully read
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { exited, stdout: () => stdout, stderr: () => stderr };
}

/** Runs `latchkey ARGS…` to completion. */
export async function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  const child = spawnCli(args, options.env ?? {});
  const output = collect(child);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const result = await output.exited;
    if (result.signal === 'SIGKILL') {
      throw new Error(
        `latchkey ${args.join(' ')} did not exit within ${timeoutMs} ms\n${result.stderr}`,
      );
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `latchkey ARGS…`, sends `signal` as soon as `ready()` holds (checked every 10 ms), and
 * resolves with how it ended; rejects when `ready()` never held before the command ended.
 */
export async function runCliInterrupted(
  args: string[],
  signal: NodeJS.Signals,
  ready: () => boolean,
): Promise<CliResult> {
  const child = spawnCli(args, {});
  const output = collect(child);
  let sent = false;
  const poll = setInterval(() => {
    if (sent || !ready()) return;
    sent = true;
    child.kill(signal);
  }, 10);
  const timer = setTimeout(() => child.kill('SIGKILL'), DEFAULT_TIMEOUT_MS);
  try {
    const result = await output.exited;
    if (!sent) throw new Error(`latchkey ${args.join(' ')} ended before it was interrupted`);
    return result;
  } finally {
    clearInterval(poll);
    clearTimeout(timer);
  }
}

/** The non-empty lines of `text`. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** The JSON log lines of `text` (other lines are skipped). */
export function logLines(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of lines(text)) {
    try {
      const value: unknown = JSON.parse(line);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        out.push(value as Record<string, unknown>);
      }
    } catch {
      // not a log line
    }
  }
  return out;
}

export interface ServeProcess {
  /** Base URL the server listens on, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** The issuer it announced. */
  readonly issuer: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Parsed JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<CliResult>;
  /** SIGTERM, then waits for the exit (SIGKILL after `timeoutMs`, default 10 s). */
  stop(timeoutMs?: number): Promise<CliResult>;
  /** SIGKILL (`kill -9`), then waits for the exit. */
  kill9(): Promise<CliResult>;
}

export interface ServeOptions {
  /** How long to wait until the server is ready (default 20 s). */
  timeoutMs?: number;
  /**
   * Wait for `GET <readyUrl>/.well-known/openid-configuration` to answer instead of the
   * `latchkey listening` log line (for log levels that hide it).
   */
  readyUrl?: string;
}

interface Ready {
  url: string;
  issuer: string;
}

function waitForListeningLine(child: ChildProcess, stdout: () => string): Promise<Ready> {
  return new Promise<Ready>((resolve) => {
    const onData = () => {
      for (const line of logLines(stdout())) {
        if (
          line.msg === 'latchkey listening' &&
          typeof line.url === 'string' &&
          typeof line.issuer === 'string'
        ) {
          child.stdout?.off('data', onData);
          resolve({ url: line.url, issuer: line.issuer });
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
  });
}

async function pollDiscovery(url: string, stop: { done: boolean }): Promise<Ready> {
  while (!stop.done) {
    try {
      const response = await fetch(`${url}/.well-known/openid-configuration`);
      if (response.ok) {
        const body = (await response.json()) as { issuer?: unknown };
        return { url, issuer: String(body.issuer) };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return new Promise<Ready>(() => {});
}

/**
 * Starts `latchkey serve ARGS…` and resolves once it listens. Rejects (and kills the child) when
 * it exits first or is not ready within the timeout.
 */
export async function startServe(
  args: string[],
  env: Record<string, string> = {},
  options: ServeOptions = {},
): Promise<ServeProcess> {
  const child = spawnCli(['serve', ...args], env);
  const output = collect(child);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const polling = { done: false };
  let timer: NodeJS.Timeout | undefined;
  const failure = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`latchkey serve did not start within ${timeoutMs} ms\n${output.stderr()}`));
    }, timeoutMs);
    output.exited.then(
      (result) =>
        reject(
          new Error(
            `latchkey serve exited (code ${result.code}, signal ${result.signal}) before listening\n${result.stderr}`,
          ),
        ),
      reject,
    );
  });
  let ready: Ready;
  try {
    ready = await Promise.race([
      options.readyUrl
        ? pollDiscovery(options.readyUrl, polling)
        : waitForListeningLine(child, output.stdout),
      failure,
    ]);
  } finally {
    polling.done = true;
    clearTimeout(timer);
  }
  failure.catch(() => {}); // the process ending later is not a start failure

  const signal = async (name: NodeJS.Signals, timeoutMs: number): Promise<CliResult> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    const fallback = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await output.exited;
    } finally {
      clearTimeout(fallback);
    }
  };
  return {
    url: ready.url,
    issuer: ready.issuer,
    pid: child.pid ?? -1,
    child,
    stdout: output.stdout,
    stderr: output.stderr,
    logs: () => logLines(output.stdout()),
    exited: output.exited,
    stop: (stopTimeoutMs = 10_000) => signal('SIGTERM', stopTimeoutMs),
    kill9: () => signal('SIGKILL', 10_000),
  };
}

/** SIGKILLs every child still running and waits for them to exit. */
export async function killAll(): Promise<void> {
  const waits: Array<Promise<void>> = [];
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    waits.push(new Promise<void>((resolve) => child.once('exit', () => resolve())));
    child.kill('SIGKILL');
  }
  await Promise.all(waits);
}

/** A new temporary directory, removed by {@link removeTempDirs}. */
export function tempDir(prefix = 'latchkey-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

/** Removes every directory made by {@link tempDir}. */
export function removeTempDirs(): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/** Kills every child, then removes the temporary directories: the `after` hook of CLI tests. */
export async function cleanUp(): Promise<void> {
  await killAll();
  removeTempDirs();
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address !== null && typeof address === 'object' ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

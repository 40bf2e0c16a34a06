/**
 * @module bench/children
 *
 * Child processes of the benchmark: every child is registered so that it is killed whatever
 * happens (normal end, error, SIGINT/SIGTERM). Children run with the same Node binary and the
 * environment of this process minus `UV_THREADPOOL_SIZE`, and every one loads
 * `bin/threadpool.cjs` first (as `bin/latchkey.cjs` does), so raw, floor and server runs use the
 * libuv threadpool size Latchkey sets by default (cores + 3, at least 4).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/..). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Sizes a child's threadpool before it starts (see bin/threadpool.cjs). */
const THREADPOOL = join(ROOT, 'bin/threadpool.cjs');

const live = new Set<ChildProcess>();

function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.UV_THREADPOOL_SIZE;
  return env;
}

/**
 * `[command, ...args]` for a script, optionally under `taskset`: TypeScript runs from source
 * through tsx, JavaScript (the build) as it is.
 */
function nodeCommand(
  script: string,
  args: string[],
  cpus: string | null,
  nodeFlags: string[] = [],
): [string, string[]] {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const pool = ['--require', THREADPOOL];
  const nodeArgs = [...nodeFlags, ...pool, ...loader, join(ROOT, script), ...args];
  return cpus
    ? ['taskset', ['-c', cpus, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
}

function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Kills `child` (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Kills every child still running (used on errors and signals). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child)));
}

/** Spawns a script from source with stdout ignored, stderr piped and optionally an IPC channel. */
export function spawnScript(script: string, args: string[], ipc: boolean): ChildProcess {
  const [command, argv] = nodeCommand(script, args, null);
  const stdio: Array<'ignore' | 'pipe' | 'ipc'> = ['ignore', 'ignore', 'pipe'];
  if (ipc) stdio.push('ipc');
  return track(spawn(command, argv, { cwd: ROOT, env: childEnv(), stdio }));
}

export interface ServerChild {
  url: string;
  /** Process id of the Node server (not of `taskset`, which execs it). */
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Where and how a server child runs. */
export interface LoggedChildOptions {
  /** CPU list for `taskset -c`, or null. */
  cpus: string | null;
  /** Extra Node flags (profiling). */
  nodeArgs: string[];
  /** Where the server's stdout and stderr (its JSON log) go. */
  logFile: string;
}

export interface ServerChildOptions extends LoggedChildOptions {
  dataDir: string;
  tenantFile: string;
  logLevel: string;
  /** Extra `latchkey serve` flags, e.g. `--trust-proxy 127.0.0.1`. */
  serveArgs?: string[];
}

/** A TCP port that was free a moment ago (the server binds it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** True when the server at `url` answers its discovery document. */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/.well-known/openid-configuration`);
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Spawns `script` with its stdout and stderr written to a file (a pipe would have to be drained
 * by this process, which also generates the load) and waits until it answers HTTP at `url`.
 */
async function startLoggedChild(
  script: string,
  args: string[],
  url: string,
  options: LoggedChildOptions,
): Promise<ServerChild> {
  const [command, argv] = nodeCommand(script, args, options.cpus, options.nodeArgs);
  const out = openSync(options.logFile, 'w');
  const stdio: ['ignore', number, number] = ['ignore', out, out];
  const child = track(spawn(command, argv, { cwd: ROOT, env: childEnv(), stdio }));
  closeSync(out);
  const stop = () => stopChild(child);
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `server exited early: ${readFileSync(options.logFile, 'utf8').slice(-2000)}`,
        );
      }
      if (child.pid !== undefined && (await answers(url))) {
        return { url, pid: child.pid, logFile: options.logFile, stop };
      }
      await sleep(100);
    }
    throw new Error(`server did not answer at ${url} within 60 s`);
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Compiles `src/` to `dist/` (`npm run build`, as `npm start` does), so the server children run
 * the code users run. tsx, which runs the rest of the bench from source, wraps every named
 * function expression in a `__name(…)` call each time it is created; the build does not.
 */
export function buildServer(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Starts `latchkey serve` from the build (bin/latchkey.cjs; see {@link buildServer}) on 127.0.0.1
 * and a free port, with its log written to a file, and waits until it answers HTTP (so any
 * `--log-level` works).
 */
export async function startServerChild(options: ServerChildOptions): Promise<ServerChild> {
  const port = await freePort();
  const args = ['serve', '--host', '127.0.0.1', '--port', String(port), '--data', options.dataDir];
  args.push('--tenant', options.tenantFile, '--log-level', options.logLevel);
  args.push(...(options.serveArgs ?? []));
  return startLoggedChild('bin/latchkey.cjs', args, `http://127.0.0.1:${port}`, options);
}

/**
 * Starts a floor server script (bench/floor-server.ts or bench/bare-floor-server.ts, which take
 * `PORT [HASH_CONCURRENCY]`) like {@link startServerChild}.
 */
export async function startFloorChild(
  script: string,
  hashConcurrency: number | null,
  options: LoggedChildOptions,
): Promise<ServerChild> {
  const port = await freePort();
  const args = [String(port), ...(hashConcurrency === null ? [] : [String(hashConcurrency)])];
  return startLoggedChild(script, args, `http://127.0.0.1:${port}`, options);
}

/**
 * @module bench/argon2-ceiling
 *
 * Child-process script: the raw argon2id ceiling. One hash made with the production
 * `ARGON2_PARAMS` is verified through `Argon2PasswordHasher` itself (from the build, like the
 * server; so the pool size is the server's default) by several concurrent callers. The parent
 * sends a {@link SliceRequest} over IPC for each measurement (a warm-up, then a fixed duration)
 * and gets a {@link CeilingResult} back, so slices can bracket the server measurements without
 * paying for a new process each time. The child exits when the parent disconnects.
 *
 * Usage: spawned by bench/raw-ceiling.ts with an IPC channel, with the pool size as the optional
 * first argument (default: the server's default).
 */
import { performance } from 'node:perf_hooks';
import type * as Hashing from '../src/accounts/password-hasher.js';
import type { Argon2PasswordHasher } from '../src/accounts/password-hasher.js';
import { built } from './built.js';
import { foreignCores, readMachineCpu } from './proc-stats.js';

const { ARGON2_PARAMS, Argon2PasswordHasher: Hasher } = await built<typeof Hashing>(
  'accounts/password-hasher.js',
);

export interface SliceRequest {
  warmupS: number;
  durationS: number;
  callers: number;
}

export interface CeilingResult {
  verifies: number;
  seconds: number;
  perSecond: number;
  /** Process CPU (user + system) per verify, in ms. */
  cpuMsPerVerify: number;
  /** Process CPU over the window, in cores (2.0 = both cores busy). */
  cpuCores: number;
  /** Cores busy with other processes meanwhile (noise; should be ≈ 0), null without /proc. */
  foreignCores: number | null;
  uvThreadpoolSize: string;
  /** Jobs the hasher's pool runs at once (the server's default, as in `latchkey serve`). */
  hashConcurrency: number;
  params: typeof Hashing.ARGON2_PARAMS;
}

const PASSWORD = 'bench-raw-password-correct-horse';

async function loop(hasher: Argon2PasswordHasher, hash: string, until: number, count: () => void) {
  while (performance.now() < until) {
    if (!(await hasher.verify(PASSWORD, hash))) throw new Error('argon2 verify returned false');
    if (performance.now() <= until) count();
  }
}

async function phase(hasher: Argon2PasswordHasher, hash: string, seconds: number, callers: number) {
  let verifies = 0;
  const until = performance.now() + seconds * 1000;
  const cpu = process.cpuUsage();
  const machineBefore = readMachineCpu();
  const loops = Array.from({ length: callers }, () => loop(hasher, hash, until, () => verifies++));
  await Promise.all(loops);
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const foreign = foreignCores(machineBefore, readMachineCpu(), cpuMs / 1000, seconds);
  return { verifies, seconds, cpuMs, foreign };
}

async function slice(
  hasher: Argon2PasswordHasher,
  hash: string,
  request: SliceRequest,
): Promise<CeilingResult> {
  await phase(hasher, hash, request.warmupS, request.callers);
  const measured = await phase(hasher, hash, request.durationS, request.callers);
  return {
    verifies: measured.verifies,
    seconds: measured.seconds,
    perSecond: measured.verifies / measured.seconds,
    cpuMsPerVerify: measured.cpuMs / measured.verifies,
    cpuCores: measured.cpuMs / 1000 / measured.seconds,
    foreignCores: measured.foreign,
    uvThreadpoolSize: process.env.UV_THREADPOOL_SIZE ?? '(unset: 4)',
    hashConcurrency: hasher.scheduler.concurrency,
    params: ARGON2_PARAMS,
  };
}

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('argon2-ceiling must be spawned with an IPC channel');
  const concurrency = Number(process.argv[2]);
  const hasher = new Hasher(concurrency > 0 ? { concurrency } : {});
  const hash = await hasher.hash(PASSWORD);
  process.on('message', (request: SliceRequest) => {
    slice(hasher, hash, request).then(
      (result) => send({ result }),
      (err: unknown) => send({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.once('disconnect', () => process.exit(0));
  send({ ready: true });
}

await main();

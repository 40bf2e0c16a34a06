/**
 * @module bench/proc-stats
 *
 * CPU figures from Linux `/proc`: another process's CPU time split into its main (event-loop)
 * thread and all other threads (libuv threadpool, V8 helpers), from the exact per-thread
 * `schedstat` counters, plus how long its main thread waited for a CPU while runnable; and
 * machine-wide busy time, to tell how much other processes disturbed a measurement. Every
 * reader returns null where `/proc` is unavailable, so the benchmark still runs elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ThreadCpu {
  /** CPU seconds of the main thread (tid = pid). */
  main: number;
  /** CPU seconds of every other thread. */
  other: number;
  /** Seconds the main thread was runnable but waiting for a CPU (run-queue delay). */
  mainWait: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond =
        Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** `[on-CPU ns, run-queue wait ns]` of one thread, or null when it is gone. */
function schedstat(pid: number, tid: string): [number, number] | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
    return [Number(run), Number(wait)];
  } catch {
    return null; // the thread ended between readdir and read
  }
}

/** Current CPU time of `pid` by thread group, or null when it cannot be read. */
export function readThreadCpu(pid: number): ThreadCpu | null {
  try {
    const cpu: ThreadCpu = { main: 0, other: 0, mainWait: 0 };
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = schedstat(pid, tid);
      if (!stat) continue;
      if (Number(tid) === pid) {
        cpu.main += stat[0] / 1e9;
        cpu.mainWait += stat[1] / 1e9;
      } else {
        cpu.other += stat[0] / 1e9;
      }
    }
    return cpu;
  } catch {
    return null;
  }
}

/** `after - before`, or null when either is missing. */
export function cpuDelta(before: ThreadCpu | null, after: ThreadCpu | null): ThreadCpu | null {
  if (!before || !after) return null;
  return {
    main: after.main - before.main,
    other: after.other - before.other,
    mainWait: after.mainWait - before.mainWait,
  };
}

/** `a + b`, or null when either is missing. */
export function cpuSum(a: ThreadCpu | null, b: ThreadCpu | null): ThreadCpu | null {
  if (!a || !b) return null;
  return { main: a.main + b.main, other: a.other + b.other, mainWait: a.mainWait + b.mainWait };
}

/** Machine-wide CPU seconds from `/proc/stat`: busy (all but idle and iowait) and total. */
export interface MachineCpu {
  busy: number;
  total: number;
}

export function readMachineCpu(): MachineCpu | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest* already in user)
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const values = [user, nice, system, idle, iowait, irq, softirq, steal].map((v) => v ?? 0);
    const ticks = clockTicks();
    const total = values.reduce((a, b) => a + b, 0) / ticks;
    const busy = total - ((idle ?? 0) + (iowait ?? 0)) / ticks;
    return { busy, total };
  } catch {
    return null;
  }
}

/**
 * Cores kept busy by processes other than ours between two machine samples, given the CPU
 * seconds our own processes used in that window; null when `/proc/stat` is unavailable.
 */
export function foreignCores(
  before: MachineCpu | null,
  after: MachineCpu | null,
  ownSeconds: number,
  seconds: number,
): number | null {
  if (!before || !after) return null;
  return Math.max(0, (after.busy - before.busy - ownSeconds) / seconds);
}

/**
 * Waits until the machine is idle (under `maxCores` busy over a 1 s sample) or `maxWaitS` has
 * passed; call it while our own processes are idle. Returns the seconds waited and whether the
 * machine was quiet in the end (true without /proc, where it cannot tell).
 */
export async function waitForQuiet(
  maxWaitS: number,
  maxCores = 0.15,
): Promise<{ waitedS: number; quiet: boolean }> {
  const started = Date.now();
  for (;;) {
    const before = readMachineCpu();
    const sampleStart = Date.now();
    await sleep(1000);
    const after = readMachineCpu();
    if (!before || !after) return { waitedS: 0, quiet: true };
    const busyCores = (after.busy - before.busy) / ((Date.now() - sampleStart) / 1000);
    const waitedS = (Date.now() - started) / 1000;
    if (busyCores < maxCores) return { waitedS, quiet: true };
    if (waitedS >= maxWaitS) return { waitedS, quiet: false };
  }
}

/** Resident set size of `pid` in MiB, or null without /proc. */
export function readRssMiB(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * @module bench/raw-ceiling
 *
 * Parent side of bench/argon2-ceiling.ts: one long-lived child process (same Node, default
 * threadpool) asked for measurement slices over IPC.
 */
import type { ChildProcess } from 'node:child_process';
import type { CeilingResult, SliceRequest } from './argon2-ceiling.js';
import { spawnScript, stopChild } from './children.js';

type Reply = { ready: true } | { result: CeilingResult } | { error: string };

export class RawCeiling {
  readonly #child: ChildProcess;
  #pending: ((reply: Reply) => void) | undefined;
  #stderr = '';

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.on('message', (reply: Reply) => this.#pending?.(reply));
  }

  /**
   * Starts the child and waits until it has made its hash; `concurrency` sizes its hash pool
   * (null: the server's default).
   */
  static async start(concurrency: number | null = null): Promise<RawCeiling> {
    const args = concurrency === null ? [] : [String(concurrency)];
    const raw = new RawCeiling(spawnScript('bench/argon2-ceiling.ts', args, true));
    await raw.#next();
    return raw;
  }

  #next(): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`argon2-ceiling exited (${code}): ${this.#stderr.trim()}`));
      this.#child.once('exit', onExit);
      this.#pending = (reply) => {
        this.#child.off('exit', onExit);
        this.#pending = undefined;
        resolve(reply);
      };
    });
  }

  /** One slice: `warmupS` of verification, then `durationS` measured. */
  async measure(request: SliceRequest): Promise<CeilingResult> {
    const reply = this.#next();
    this.#child.send(request);
    const answer = await reply;
    if ('error' in answer) throw new Error(`argon2-ceiling: ${answer.error}`);
    if (!('result' in answer)) throw new Error('argon2-ceiling: unexpected reply');
    return answer.result;
  }

  async stop(): Promise<void> {
    if (this.#child.connected) this.#child.disconnect();
    await stopChild(this.#child);
  }
}

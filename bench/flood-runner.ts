/**
 * @module bench/flood-runner
 *
 * Parent side of bench/flood.ts: starts the child ahead of time (tsx start-up is not part of
 * the measurement), then runs one flood and returns its result.
 */
import type { ChildProcess } from 'node:child_process';
import { spawnScript, stopChild } from './children.js';
import type { FloodRequest, FloodResult } from './flood.js';

type Reply = { ready: true } | { result: FloodResult } | { error: string };

function nextReply(child: ChildProcess, stderr: () => string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`flood exited (${code}): ${stderr().trim()}`));
    child.once('exit', onExit);
    child.once('message', (reply: Reply) => {
      child.off('exit', onExit);
      resolve(reply);
    });
  });
}

export interface Flood {
  /** Runs the flood and resolves when it has ended (then the child exits). */
  run(request: FloodRequest): Promise<FloodResult>;
}

/** Spawns a flood child and waits until it is ready. */
export async function startFlood(): Promise<Flood> {
  const child = spawnScript('bench/flood.ts', [], true);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const ready = await nextReply(child, () => stderr);
  if (!('ready' in ready)) throw new Error('flood: unexpected first reply');
  return {
    async run(request) {
      try {
        const reply = nextReply(child, () => stderr);
        child.send(request);
        const answer = await reply;
        if ('error' in answer) throw new Error(`flood: ${answer.error}`);
        if (!('result' in answer)) throw new Error('flood: unexpected reply');
        return answer.result;
      } finally {
        if (child.connected) child.disconnect();
        await stopChild(child);
      }
    },
  };
}

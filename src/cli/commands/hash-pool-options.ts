/**
 * @module cli/commands/hash-pool-options
 *
 * `latchkey serve` flags of the password-hash pool (`--hash-concurrency`, `--hash-queue`,
 * `--hash-queue-per-source`) and the pool settings they give.
 */
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_HASH_POOL, type HashPoolOptions } from '../../accounts/hash-scheduler.js';

export interface HashPoolFlags {
  hashConcurrency: number;
  hashQueue: number;
  hashQueuePerSource: number;
}

/** Largest pool or queue size taken (far beyond any machine's threadpool or memory). */
const MAX_POOL_SETTING = 1_000_000;

function integerParser(min: 0 | 1): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new InvalidArgumentError(
        `${JSON.stringify(value)} must be a ${min === 1 ? 'positive' : 'non-negative'} integer`,
      );
    if (Number(value) > MAX_POOL_SETTING)
      throw new InvalidArgumentError(
        `${JSON.stringify(value)} must be at most ${MAX_POOL_SETTING}`,
      );
    return Number(value);
  };
}

export const hashConcurrencyOption = () =>
  new Option('--hash-concurrency <n>', 'password-hash jobs run at once')
    .env('LATCHKEY_HASH_CONCURRENCY')
    .default(DEFAULT_HASH_POOL.concurrency)
    .argParser(integerParser(1));

export const hashQueueOption = () =>
  new Option('--hash-queue <n>', 'password-hash jobs that may wait (more get 503)')
    .env('LATCHKEY_HASH_QUEUE')
    .default(DEFAULT_HASH_POOL.maxQueue)
    .argParser(integerParser(0));

export const hashQueuePerSourceOption = () =>
  new Option('--hash-queue-per-source <n>', 'password-hash jobs one end-user IP may have waiting')
    .env('LATCHKEY_HASH_QUEUE_PER_SOURCE')
    .default(DEFAULT_HASH_POOL.maxQueuePerSource)
    .argParser(integerParser(0));

export function hashPool(flags: HashPoolFlags): HashPoolOptions {
  return {
    concurrency: flags.hashConcurrency,
    maxQueue: flags.hashQueue,
    maxQueuePerSource: flags.hashQueuePerSource,
  };
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultHashConcurrency,
  HashQueueFullError,
  HashScheduler,
  threadpoolSize,
} from '../../src/accounts/hash-scheduler.js';

/** A promise and its resolver. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Lets every pending job settle and the scheduler start the next ones. */
async function drain(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

/** Records the order jobs start in; each job waits for `gate`. */
function recorder(gate: Promise<void>) {
  const started: string[] = [];
  const job = (name: string) => async () => {
    started.push(name);
    await gate;
    return name;
  };
  return { started, job };
}

describe('hash scheduler', () => {
  it('runs at most `concurrency` jobs at once and loses none', async () => {
    const scheduler = new HashScheduler({ concurrency: 2, maxQueue: 100, maxQueuePerSource: 50 });
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        scheduler.run(`10.0.0.${i % 3}`, async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setImmediate(r));
          running--;
          return i;
        }),
      ),
    );
    assert.deepEqual(
      results,
      Array.from({ length: 60 }, (_, i) => i),
    );
    assert.equal(peak, 2);
    await drain();
    assert.deepEqual(scheduler.stats, { running: 0, queued: 0, sources: 0 });
  });

  it('starts a quiet source within one round of a noisy source with 100 queued jobs', async () => {
    const scheduler = new HashScheduler({ concurrency: 1, maxQueue: 200, maxQueuePerSource: 100 });
    const gate = deferred();
    const { started, job } = recorder(gate.promise);
    const noisy = Array.from({ length: 101 }, (_, i) => scheduler.run('noisy', job(`n${i}`)));
    await drain();
    assert.deepEqual(started, ['n0']);
    const quiet = scheduler.run('quiet', job('q'));
    gate.resolve();
    assert.equal(await quiet, 'q');
    await Promise.all(noisy);
    // n0 was running: at most one more noisy job (one round) starts before the quiet one
    assert.deepEqual(started.slice(0, 3), ['n0', 'n1', 'q']);
    assert.equal(started.length, 102);
  });

  it('serves busy sources round robin, one job each, FIFO within a source', async () => {
    const scheduler = new HashScheduler({ concurrency: 1 });
    const gate = deferred();
    const { started, job } = recorder(gate.promise);
    const all = [scheduler.run('x', job('x1'))];
    for (const name of ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'])
      all.push(scheduler.run(name[0] ?? '', job(name)));
    gate.resolve();
    await Promise.all(all);
    assert.deepEqual(started, ['x1', 'a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });

  it('refuses at once a job over the per-source bound, and admits another source', async () => {
    const scheduler = new HashScheduler({ concurrency: 1, maxQueue: 10, maxQueuePerSource: 2 });
    const gate = deferred();
    const { job } = recorder(gate.promise);
    const accepted = [1, 2, 3].map((i) => scheduler.run('a', job(`a${i}`)));
    await assert.rejects(scheduler.run('a', job('a4')), HashQueueFullError);
    const other = scheduler.run('b', job('b1'));
    assert.deepEqual(scheduler.stats, { running: 1, queued: 3, sources: 2 });
    gate.resolve();
    assert.deepEqual(await Promise.all([...accepted, other]), ['a1', 'a2', 'a3', 'b1']);
  });

  it('refuses at once a job over the global bound when no source holds more than its share', async () => {
    const scheduler = new HashScheduler({ concurrency: 1, maxQueue: 3, maxQueuePerSource: 3 });
    const gate = deferred();
    const { started, job } = recorder(gate.promise);
    const accepted = ['s0', 's1', 's2', 's3'].map((s) => scheduler.run(s, job(s)));
    await assert.rejects(scheduler.run('s4', job('s4')), HashQueueFullError);
    await assert.rejects(scheduler.run('s1', job('s1-bis')), HashQueueFullError);
    gate.resolve();
    assert.deepEqual(await Promise.all(accepted), ['s0', 's1', 's2', 's3']);
    assert.deepEqual(started, ['s0', 's1', 's2', 's3']);
  });

  it('makes room for a new source by refusing the newest job of the longest queue', async () => {
    const scheduler = new HashScheduler({ concurrency: 1, maxQueue: 4, maxQueuePerSource: 4 });
    const gate = deferred();
    const { started, job } = recorder(gate.promise);
    const noisy = [0, 1, 2, 3, 4].map((i) => scheduler.run('noisy', job(`n${i}`)));
    const quiet = scheduler.run('quiet', job('q'));
    const settled = await Promise.allSettled(noisy.slice(4));
    assert.ok(settled[0]?.status === 'rejected' && settled[0].reason instanceof HashQueueFullError);
    gate.resolve();
    assert.equal(await quiet, 'q');
    assert.deepEqual(await Promise.all(noisy.slice(0, 4)), ['n0', 'n1', 'n2', 'n3']);
    assert.deepEqual(started, ['n0', 'n1', 'q', 'n2', 'n3']);
  });

  it('passes a failing job’s error to its caller and goes on with the next job', async () => {
    const scheduler = new HashScheduler({ concurrency: 1 });
    const failing = scheduler.run('a', () => Promise.reject(new Error('boom')));
    const throwing = scheduler.run('a', () => {
      throw new Error('sync boom');
    });
    const next = scheduler.run('a', async () => 'next');
    await assert.rejects(failing, /boom/);
    await assert.rejects(throwing, /sync boom/);
    assert.equal(await next, 'next');
    await drain();
    assert.deepEqual(scheduler.stats, { running: 0, queued: 0, sources: 0 });
  });

  it('never refuses internal work and counts it outside the queue bound', async () => {
    const scheduler = new HashScheduler({ concurrency: 1, maxQueue: 0, maxQueuePerSource: 0 });
    const gate = deferred();
    const { job } = recorder(gate.promise);
    const internal = [1, 2, 3, 4].map((i) => scheduler.runInternal(job(`i${i}`)));
    await assert.rejects(scheduler.run('a', job('a1')), HashQueueFullError);
    assert.deepEqual(scheduler.stats, { running: 1, queued: 0, sources: 1 });
    gate.resolve();
    assert.deepEqual(await Promise.all(internal), ['i1', 'i2', 'i3', 'i4']);
  });

  it('rejects settings that are not integers in range', () => {
    assert.throws(() => new HashScheduler({ concurrency: 0 }), RangeError);
    assert.throws(() => new HashScheduler({ maxQueue: -1 }), RangeError);
    assert.throws(() => new HashScheduler({ maxQueuePerSource: 1.5 }), RangeError);
  });

  it('tells without side effects whether a source has room', async () => {
    const scheduler = new HashScheduler({ concurrency: 1, maxQueue: 2, maxQueuePerSource: 2 });
    const gate = deferred();
    const { job } = recorder(gate.promise);
    assert.equal(scheduler.hasRoom('a'), true);
    const jobs = [scheduler.run('a', job('a0')), scheduler.run('a', job('a1'))];
    jobs.push(scheduler.run('a', job('a2')));
    await drain();
    assert.equal(scheduler.hasRoom('a'), false, 'a has its share');
    assert.equal(scheduler.hasRoom('b'), true, 'b would evict one of a');
    assert.deepEqual(scheduler.stats, { running: 1, queued: 2, sources: 1 });
    gate.resolve();
    await Promise.all(jobs);
  });

  it('holds a reserved place against the bounds, then admits the job without another check', async () => {
    const scheduler = new HashScheduler({ concurrency: 1, maxQueue: 2, maxQueuePerSource: 2 });
    const gate = deferred();
    const { started, job } = recorder(gate.promise);
    const running = scheduler.run('a', job('a0'));
    const first = scheduler.reserve('b');
    const second = scheduler.reserve('b');
    assert.ok(first && second);
    assert.equal(scheduler.reserve('b'), null, 'b holds its share in reservations');
    assert.equal(scheduler.hasRoom('c'), false, 'the whole queue is reserved');
    await assert.rejects(scheduler.run('c', job('c0')), HashQueueFullError);
    const b0 = scheduler.run(first, job('b0'));
    second.release();
    second.release(); // a second release changes nothing
    assert.equal(scheduler.hasRoom('c'), true, 'the released place is free again');
    await drain();
    gate.resolve();
    assert.deepEqual(await Promise.all([running, b0]), ['a0', 'b0']);
    assert.deepEqual(started, ['a0', 'b0']);
  });

  it('treats a used or released reservation as a plain submission', async () => {
    const scheduler = new HashScheduler({ concurrency: 1, maxQueue: 1, maxQueuePerSource: 1 });
    const gate = deferred();
    const { job } = recorder(gate.promise);
    const running = scheduler.run('a', job('a0'));
    const place = scheduler.reserve('b');
    assert.ok(place);
    place.release();
    const queued = scheduler.run('a', job('a1'));
    await assert.rejects(scheduler.run(place, job('b0')), HashQueueFullError);
    gate.resolve();
    await Promise.all([running, queued]);
  });

  it('runs no more than `limit` jobs, and starts waiting ones when the limit rises', async () => {
    const scheduler = new HashScheduler({ concurrency: 2, maxQueue: 8, maxQueuePerSource: 8 });
    scheduler.limit = 1;
    const gate = deferred();
    const { started, job } = recorder(gate.promise);
    const jobs = ['a0', 'a1', 'a2'].map((name) => scheduler.run('a', job(name)));
    await drain();
    assert.deepEqual(started, ['a0']);
    scheduler.limit = 5;
    assert.equal(scheduler.limit, 2, 'capped at the configured concurrency');
    await drain();
    assert.deepEqual(started, ['a0', 'a1']);
    scheduler.limit = 0;
    assert.equal(scheduler.limit, 1, 'never below one');
    gate.resolve();
    await Promise.all(jobs);
  });

  it('counts every refusal and every "no room" answer once, then starts again from zero', async () => {
    const scheduler = new HashScheduler({ concurrency: 1, maxQueue: 1, maxQueuePerSource: 1 });
    const gate = deferred();
    const { job } = recorder(gate.promise);
    const jobs = [scheduler.run('a', job('a0')), scheduler.run('a', job('a1'))];
    await assert.rejects(scheduler.run('a', job('a2')), HashQueueFullError);
    assert.equal(scheduler.hasRoom('a'), false);
    assert.equal(scheduler.reserve('a'), null);
    assert.equal(scheduler.takeShedCount(), 3);
    assert.equal(scheduler.takeShedCount(), 0);
    gate.resolve();
    await Promise.all(jobs);
  });
});

describe('default hash concurrency', () => {
  it('is one more than the cores, below the threadpool size, at least one', () => {
    assert.equal(defaultHashConcurrency(2, 4), 3);
    assert.equal(defaultHashConcurrency(1, 4), 2);
    assert.equal(defaultHashConcurrency(8, 4), 3, 'one thread stays free for signing');
    assert.equal(defaultHashConcurrency(8, 16), 9);
    assert.equal(defaultHashConcurrency(4, 1), 1);
  });

  it('reads the threadpool size from UV_THREADPOOL_SIZE (libuv: 4 when unset or invalid)', () => {
    assert.equal(threadpoolSize({}), 4);
    assert.equal(threadpoolSize({ UV_THREADPOOL_SIZE: '16' }), 16);
    assert.equal(threadpoolSize({ UV_THREADPOOL_SIZE: 'many' }), 4);
    assert.equal(threadpoolSize({ UV_THREADPOOL_SIZE: '5000' }), 1024);
  });
});

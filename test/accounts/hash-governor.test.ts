import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HashGovernor } from '../../src/accounts/hash-governor.js';
import { HashScheduler } from '../../src/accounts/hash-scheduler.js';

function pool(concurrency: number, cores = concurrency) {
  const scheduler = new HashScheduler({ concurrency });
  return { scheduler, governor: new HashGovernor(scheduler, { calmSamples: 3, cores }) };
}

describe('hash pool governor', () => {
  it('runs one job fewer while the pool sheds and the event loop is busy', () => {
    const { scheduler, governor } = pool(4);
    governor.tick(120, 0.95);
    assert.equal(scheduler.limit, 3);
    assert.equal(governor.throttled, true);
  });

  it('leaves a core to the event loop when the pool is larger than the machine', () => {
    const { scheduler, governor } = pool(3, 2); // the default on 2 cores: cores + 1
    governor.tick(30, 0.4);
    assert.equal(scheduler.limit, 2, 'shedding: no job beyond the cores');
    governor.tick(120, 0.95);
    assert.equal(scheduler.limit, 1, 'shedding with a busy loop: a core left to it');
    governor.tick(30, 0.4);
    assert.equal(scheduler.limit, 1, 'never raised while shedding goes on');
    for (let i = 0; i < 3; i++) governor.tick(0, 0.2);
    assert.equal(scheduler.limit, 3, 'full pool after the calm samples');
    const big = pool(9, 8);
    big.governor.tick(120, 0.95);
    assert.equal(big.scheduler.limit, 7);
  });

  it('keeps every hash thread when the pool sheds but the event loop is not busy', () => {
    const { scheduler, governor } = pool(4);
    governor.tick(30, 0.4);
    assert.equal(scheduler.limit, 4);
  });

  it('keeps every hash thread when the event loop is busy but nothing is shed', () => {
    const { scheduler, governor } = pool(2);
    governor.tick(0, 1);
    assert.equal(scheduler.limit, 2);
  });

  it('stays lowered while shedding goes on, and recovers after `calmSamples` calm samples', () => {
    const { scheduler, governor } = pool(2);
    governor.tick(50, 0.9);
    governor.tick(10, 0.3); // still shedding, even with the loop now idle enough
    governor.tick(0, 0.2);
    governor.tick(0, 0.2);
    assert.equal(scheduler.limit, 1, 'two calm samples are not enough');
    governor.tick(0, 0.2);
    assert.equal(scheduler.limit, 2);
  });

  it('never lowers a pool of one', () => {
    const { scheduler, governor } = pool(1);
    governor.tick(500, 1);
    assert.equal(scheduler.limit, 1);
  });

  it('gives full concurrency back when stopped', () => {
    const { scheduler, governor } = pool(2);
    governor.tick(5, 0.99);
    governor.stop();
    assert.equal(scheduler.limit, 2);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { withLogEventBuffer } from '../../src/storage/log-event-buffer.js';
import type { LogEvent } from '../../src/storage/models.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../src/storage/storage.js';

function event(log_id: string): LogEvent {
  return {
    log_id,
    type: 'fp',
    date: '2026-11-27T00:00:00.000Z',
    description: 'Wrong email or password.',
    client_id: 'c',
    ip: '203.0.113.1',
    client_ip: '203.0.113.1',
    user_id: null,
    user_name: 'ada@example.com',
    connection: 'db',
    details: { grant_type: 'password' },
  };
}

const ids = async (storage: Storage) =>
  (await storage.logEvents.list({ limit: 1000 })).map((e) => e.log_id);

describe('tenant log written behind, in batches', () => {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-log-buffer-'));
  let inner: Storage;
  /** Batches the inner store received, by size. */
  let batches: number[];
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    inner = await openSqliteStorage({ path: ':memory:' });
    batches = [];
    const recordMany = inner.logEvents.recordMany.bind(inner.logEvents);
    inner = {
      ...inner,
      logEvents: {
        ...inner.logEvents,
        recordMany: (events) => {
          batches.push(events.length);
          return recordMany(events);
        },
      },
    };
  });
  afterEach(() => inner.close());

  it('keeps events in memory until flushMs has passed, then writes them in one batch', async () => {
    const buffered = withLogEventBuffer(inner, { flushMs: 30, maxBatch: 100 });
    const stored = ['a', 'b', 'c'].map((id) => buffered.logEvents.record(event(id)));
    assert.deepEqual(await ids(inner), [], 'nothing written yet');
    await Promise.all(stored);
    assert.deepEqual(await ids(inner), ['c', 'b', 'a']);
    assert.deepEqual(batches, [3]);
  });

  it('writes at once when maxBatch events have gathered, in recorded order', async () => {
    const buffered = withLogEventBuffer(inner, { flushMs: 60_000, maxBatch: 4 });
    const stored = ['a', 'b', 'c', 'd', 'e'].map((id) => buffered.logEvents.record(event(id)));
    await Promise.all(stored.slice(0, 4));
    assert.deepEqual(await ids(inner), ['d', 'c', 'b', 'a']);
    assert.deepEqual(batches, [4]);
    await buffered.close();
    await assert.doesNotReject(stored[4]);
  });

  it('lets this process read its own events at once: list and purge flush first', async () => {
    const buffered = withLogEventBuffer(inner, { flushMs: 60_000 });
    void buffered.logEvents.record(event('a'));
    void buffered.logEvents.record(event('b'));
    assert.deepEqual(await ids(buffered), ['b', 'a']);
    void buffered.logEvents.record(event('c'));
    assert.equal(await buffered.logEvents.purgeBefore('2027-01-01T00:00:00.000Z'), 3);
    await buffered.logEvents.recordMany([event('d')]);
    assert.deepEqual(await ids(inner), ['d']);
  });

  it('rejects every event of a batch the store refuses, and goes on with the next', async () => {
    const buffered = withLogEventBuffer(inner, { flushMs: 60_000 });
    await buffered.logEvents.recordMany([event('taken')]);
    const first = buffered.logEvents.record(event('x'));
    const duplicate = buffered.logEvents.record(event('taken'));
    await buffered.logEvents.list();
    await assert.rejects(first);
    await assert.rejects(duplicate);
    const later = buffered.logEvents.record(event('y'));
    assert.deepEqual(await ids(buffered), ['y', 'taken']);
    await later;
  });

  it('writes what is pending when the storage closes, so a restart finds it', async () => {
    const path = join(dir, 'close.db');
    const buffered = withLogEventBuffer(await openSqliteStorage({ path }), { flushMs: 60_000 });
    const stored = buffered.logEvents.record(event('before-close'));
    await buffered.close();
    await stored;
    const reopened = await openSqliteStorage({ path });
    try {
      assert.deepEqual(await ids(reopened), ['before-close']);
    } finally {
      await reopened.close();
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whileBusy } from '../../src/storage/sqlite/busy-wait.js';

function sqliteError(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('waiting for the write lock after a timer', () => {
  it('tries a busy statement again until it goes through', async () => {
    let attempts = 0;
    const result = await whileBusy(() => {
      attempts++;
      if (attempts < 4) throw sqliteError(attempts === 2 ? 'SQLITE_BUSY_RECOVERY' : 'SQLITE_BUSY');
      return 'done';
    });
    assert.equal(result, 'done');
    assert.equal(attempts, 4);
  });

  it('gives up with the last refusal once the wait is over', async () => {
    let attempts = 0;
    await assert.rejects(
      whileBusy(() => {
        attempts++;
        return Promise.reject(sqliteError('SQLITE_BUSY'));
      }, 30),
      { code: 'SQLITE_BUSY' },
    );
    assert.ok(attempts > 1 && attempts < 30, `${attempts} attempts`);
  });

  it('never tries again after any other error (a snapshot conflict, a constraint)', async () => {
    for (const code of ['SQLITE_BUSY_SNAPSHOT', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_FULL']) {
      let attempts = 0;
      await assert.rejects(
        whileBusy(() => {
          attempts++;
          throw sqliteError(code);
        }),
        { code },
      );
      assert.equal(attempts, 1, code);
    }
  });

  it('lets the event loop run while it waits', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let attempts = 0;
    await whileBusy(() => {
      if (++attempts < 6) throw sqliteError('SQLITE_BUSY');
    });
    clearInterval(timer);
    assert.ok(ticks > 0, 'a timer fired between the attempts');
  });
});

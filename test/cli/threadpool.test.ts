import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { after, describe, it } from 'node:test';
import { cleanUp, type ServeProcess, startServe, tempDir } from '../helpers/cli.js';

const { defaultThreadpoolSize } = createRequire(import.meta.url)('../../bin/threadpool.cjs') as {
  defaultThreadpoolSize(cores: number): number;
};

const LOCAL = ['--host', '127.0.0.1', '--port', '0'];

/** Threads of a running process (Linux). */
const threads = (pid: number) => readdirSync(`/proc/${pid}/task`).length;

function listening(server: ServeProcess): Record<string, unknown> {
  const line = server.logs().find((l) => l.msg === 'latchkey listening');
  assert.ok(line, 'a latchkey listening line');
  return line;
}

describe('libuv threadpool sized before it starts (bin/threadpool.cjs)', () => {
  after(cleanUp);

  it('is cores + 3, at least 4 and at most 1024', () => {
    assert.equal(defaultThreadpoolSize(1), 4);
    assert.equal(defaultThreadpoolSize(2), 5);
    assert.equal(defaultThreadpoolSize(8), 11);
    assert.equal(defaultThreadpoolSize(4096), 1024);
  });

  it('gives a server started without UV_THREADPOOL_SIZE that many threads and cores + 1 hash jobs', async () => {
    delete process.env.UV_THREADPOOL_SIZE; // the children inherit this environment
    const cores = availableParallelism();
    const size = defaultThreadpoolSize(cores);
    const sized = await startServe([...LOCAL, '--data', tempDir()]);
    const four = await startServe([...LOCAL, '--data', tempDir()], { UV_THREADPOOL_SIZE: '4' });
    try {
      assert.deepEqual(
        [listening(sized).threadpool_size, listening(sized).hash_concurrency],
        [size, cores + 1],
      );
      assert.deepEqual(
        [listening(four).threadpool_size, listening(four).hash_concurrency],
        [4, Math.min(cores + 1, 3)],
      );
      // The pool really has that many threads: the two processes differ only in its size.
      assert.equal(threads(sized.pid) - threads(four.pid), size - 4);
    } finally {
      await Promise.all([sized.stop(), four.stop()]);
    }
  });
});

/**
 * @module test/shared/read-capped
 *
 * `readTextCapped`: the cap to the byte, UTF-8 across its read chunks, file-system errors as
 * they are, and a pipe fed in small pieces costing memory for what it sent, not a chunk each.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileTooLarge, readProblem, readTextCapped } from '../../src/shared/read-capped.js';

const dir = mkdtempSync(join(tmpdir(), 'latchkey-read-capped-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('readTextCapped', () => {
  it('reads a file of exactly the cap and refuses one byte more', async () => {
    const cap = 3 * 1024 * 1024 + 7; // several chunks, not a multiple of one
    const exact = file('exact.txt', 'a'.repeat(cap));
    assert.equal((await readTextCapped(exact, cap)).length, cap);
    const over = file('over.txt', 'a'.repeat(cap + 1));
    const error = await readTextCapped(over, cap).catch((caught: unknown) => caught);
    assert.ok(error instanceof FileTooLarge);
    assert.equal(readProblem(error, 'hint'), `file is larger than ${cap / 2 ** 20} MiB (hint)`);
  });

  it('decodes characters that straddle a chunk boundary', async () => {
    const text = `${'a'.repeat(1024 * 1024 - 1)}é€😀${'b'.repeat(10)}`;
    assert.equal(await readTextCapped(file('utf8.txt', text), 16 * 1024 * 1024), text);
  });

  it('reports file-system errors by code', async () => {
    for (const [path, code] of [
      [join(dir, 'missing.txt'), 'ENOENT'],
      [dir, 'EISDIR'],
    ] as const) {
      const error = await readTextCapped(path, 1024).catch((caught: unknown) => caught);
      assert.equal(readProblem(error, 'hint'), `cannot read file (${code})`);
    }
  });

  it('keeps what a pipe sent in small pieces, not a chunk per piece', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const pieces = 400;
    const writer = spawn(process.execPath, [
      '-e',
      `const fs = require('node:fs'); const fd = fs.openSync(${JSON.stringify(fifo)}, 'w');
       let n = 0; const tick = () => { if (n++ === ${pieces}) return fs.closeSync(fd);
       fs.writeSync(fd, Buffer.alloc(1024, 0x61)); setTimeout(tick, 1); }; tick();`,
    ]);
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }, 2);
    try {
      const text = await readTextCapped(fifo, 16 * 1024 * 1024);
      assert.equal(text, 'a'.repeat(pieces * 1024));
    } finally {
      clearInterval(sample);
      writer.kill();
    }
    // a 1 MiB view kept per piece would hold ~400 MiB; copies hold what was read
    assert.ok(peak - before < 32 * 1024 * 1024, `${(peak - before) / 2 ** 20} MiB`);
  });
});

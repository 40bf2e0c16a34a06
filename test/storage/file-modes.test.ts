import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openDataDir } from '../../src/server.js';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('data directory file modes', () => {
  const root = mkdtempSync(join(tmpdir(), 'latchkey-modes-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('creates a new data directory 0700 and its database 0600 (it holds the signing keys)', async () => {
    const dataDir = join(root, 'new', 'data');
    const storage = await openDataDir(dataDir);
    await storage.close();
    assert.equal(mode(dataDir).toString(8), '700');
    assert.equal(mode(join(dataDir, 'latchkey.db')).toString(8), '600');
  });

  it('leaves the modes of an existing directory and database alone', async () => {
    const dataDir = join(root, 'existing');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o750);
    writeFileSync(join(dataDir, 'latchkey.db'), '');
    chmodSync(join(dataDir, 'latchkey.db'), 0o640);
    const storage = await openDataDir(dataDir);
    await storage.close();
    assert.equal(mode(dataDir).toString(8), '750');
    assert.equal(mode(join(dataDir, 'latchkey.db')).toString(8), '640');
  });
});

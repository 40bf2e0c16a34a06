/**
 * A first `tenant import` or `serve` stopped by Ctrl-C (SIGINT) or SIGTERM while it sets up a
 * new data directory leaves nothing behind, as a failed one does; an existing database is kept.
 */
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cleanUp, runCli, runCliInterrupted, tempDir } from '../helpers/cli.js';

/** A tenant whose import takes seconds: `count` users with clear passwords to hash. */
function slowTenant(dir: string, count: number): string {
  const users = Array.from({ length: count }, (_, i) => ({
    connection: 'db',
    email: `user${i}@example.com`,
    password: `password-${i}-long-enough`,
  }));
  const file = join(dir, 'slow.json');
  writeFileSync(file, JSON.stringify({ connections: [{ name: 'db' }], users }));
  return file;
}

/** True once the database file exists and SQLite has written to it. */
const databaseIn = (data: string) => () => {
  const file = join(data, 'latchkey.db');
  return existsSync(file) && statSync(file).size > 0;
};

describe('a first set-up stopped by a signal', () => {
  after(cleanUp);

  it('tenant import: Ctrl-C removes the new database and the directories it made', async () => {
    const dir = tempDir();
    const data = join(dir, 'made', 'data');
    const result = await runCliInterrupted(
      ['tenant', 'import', slowTenant(dir, 400), '--data', data],
      'SIGINT',
      databaseIn(data),
    );
    assert.equal(result.code, 130, result.stderr);
    assert.equal(
      result.stderr,
      `latchkey: stopped by SIGINT; removed the new database in ${data}\n`,
    );
    assert.equal(existsSync(join(dir, 'made')), false);
  });

  it('serve: SIGTERM before the server is up removes the new database and encryption.key', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const result = await runCliInterrupted(
      [
        'serve',
        '--host',
        '127.0.0.1',
        '--port',
        '0',
        '--tenant',
        slowTenant(dir, 400),
        '--data',
        data,
      ],
      'SIGTERM',
      databaseIn(data),
    );
    assert.equal(result.code, 143, result.stderr);
    assert.match(result.stderr, /stopped by SIGTERM; removed the new database in /);
    assert.equal(existsSync(data), false);
  });

  it('keeps an existing database: a later import stopped halfway changes nothing', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const small = join(dir, 'small.json');
    writeFileSync(small, JSON.stringify({ connections: [{ name: 'db' }] }));
    assert.equal((await runCli(['tenant', 'import', small, '--data', data])).code, 0);
    const result = await runCliInterrupted(
      ['tenant', 'import', slowTenant(dir, 400), '--data', data],
      'SIGINT',
      () => true,
    );
    assert.notEqual(result.code, 0);
    assert.doesNotMatch(result.stderr, /removed/);
    const exported = await runCli(['tenant', 'export', '--data', data, '--format', 'json']);
    assert.equal(exported.code, 0, exported.stderr);
    const tenant = JSON.parse(exported.stdout) as { users?: unknown[] };
    assert.equal(tenant.users?.length ?? 0, 0, 'the interrupted import wrote nothing');
  });
});

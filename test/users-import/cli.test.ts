/**
 * @module test/users-import/cli
 *
 * `latchkey users import` as a child process: 10,000 users imported (and re-imported) with the
 * rate printed, and the one-line summary plus one line per problem when a file is rejected.
 */
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Argon2PasswordHasher } from '../../src/accounts/password-hasher.js';
import { openDataDir } from '../../src/server.js';
import { importTenant } from '../../src/tenant/import-tenant.js';
import { cleanUp, lines, runCli, tempDir } from '../helpers/cli.js';
import { BCRYPT, DB, generatedUsers } from './support.js';

const COUNT = 10_000;
const SUMMARY =
  /^imported (\S+) into db: (\d+) created, (\d+) updated in ([\d.]+) s \((\d+) users\/s\)$/;

let dir = '';
before(async () => {
  dir = tempDir('latchkey-users-');
  const storage = await openDataDir(dir);
  try {
    await importTenant(storage, { connections: [{ name: DB }] }, new Argon2PasswordHasher());
  } finally {
    await storage.close();
  }
});
after(cleanUp);

function writeUsers(name: string, users: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(users));
  return path;
}

const importFile = (file: string, ...extra: string[]) =>
  runCli(['users', 'import', file, '--data', dir, ...extra], { timeoutMs: 120_000 });

async function storedCount(): Promise<number> {
  const storage = await openDataDir(dir);
  try {
    return (await storage.users.list(DB)).length;
  } finally {
    await storage.close();
  }
}

describe('latchkey users import', () => {
  test(`imports ${COUNT} users and prints the rate; a second run updates them`, async (t) => {
    const file = writeUsers('users.json', generatedUsers(COUNT));
    const first = await importFile(file, '--connection', DB);
    assert.equal(first.code, 0, first.stderr);
    const created = SUMMARY.exec(first.stdout.trim());
    assert.ok(created, first.stdout);
    assert.deepEqual(created.slice(2, 4), [String(COUNT), '0']);
    t.diagnostic(`${COUNT} users created: ${created[4]} s, ${created[5]} users/s`);
    assert.equal(await storedCount(), COUNT);

    const second = await importFile(file, '--connection', DB);
    assert.equal(second.code, 0, second.stderr);
    const updated = SUMMARY.exec(second.stdout.trim());
    assert.ok(updated, second.stdout);
    assert.deepEqual(updated.slice(2, 4), ['0', String(COUNT)]);
    t.diagnostic(`${COUNT} users updated: ${updated[4]} s, ${updated[5]} users/s`);
    assert.equal(await storedCount(), COUNT);
  });

  test('a rejected file: a summary line, then the first 20 problems; nothing written', async () => {
    const before = await storedCount();
    const users = Array.from({ length: 25 }, (_, i) => ({
      email: `late${i}@example.com`,
      password_hash: i === 3 ? 'plain-text' : BCRYPT,
      ...(i >= 3 ? { colour: 'red' } : {}),
    }));
    const file = writeUsers('bad.json', users);
    const result = await importFile(file, '--connection', DB);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    const output = lines(result.stderr);
    assert.deepEqual(output.slice(0, 3), [
      `latchkey: ${file}: 23 problems in 25 users; nothing was imported (the first 20 are listed)`,
      `${file}: [3].password_hash: must be a bcrypt hash ($2a$, $2b$ or $2y$, a cost from 04 to 31, 53 characters after it)`,
      `${file}: [3].colour: unknown field`,
    ]);
    assert.equal(output.length, 21);
    assert.equal(output[20], `${file}: [21].colour: unknown field`);
    assert.equal(await storedCount(), before);
  });

  test('file and connection problems are one line', async () => {
    const file = writeUsers('one.json', [{ email: 'one@example.com' }]);
    const unknown = await importFile(file, '--connection', 'nope');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'latchkey: --connection: connection "nope" does not exist\n');
    const missing = await importFile(file);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /required option '--connection <name>' not specified/);
    const ndjson = join(dir, 'export.json');
    writeFileSync(ndjson, '{"email":"a@b.c"}\n{"email":"d@e.f"}\n');
    const invalid = await importFile(ndjson, '--connection', DB);
    assert.equal(invalid.code, 1);
    assert.equal(lines(invalid.stderr).length, 1);
    assert.match(
      invalid.stderr,
      /^latchkey: .*export\.json: invalid JSON: .* at line 2, column 1 \(one JSON object per line\? wrap them in \[ \]\)\n$/,
    );
    const twice = join(dir, 'twice.json');
    writeFileSync(twice, '[{"email":"a@b.c",\n "password":"one","password":"two"}]');
    assert.equal(
      (await importFile(twice, '--connection', DB)).stderr,
      `latchkey: ${twice}: invalid JSON: key "password" appears twice in one object (line 2, column 19)\n`,
      'JSON.parse would keep the last one without a word',
    );
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, '[{"email":"a@b.c","password":SEKRIT-bare}]');
    const quoted = await importFile(bare, '--connection', DB);
    assert.equal(quoted.code, 1);
    assert.doesNotMatch(quoted.stderr, /SEKRIT/, 'the text around a JSON error is never shown');
    const deep = join(dir, 'deep.json');
    const nested = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    writeFileSync(deep, `[{"email":"a@b.c","user_metadata":{"x":${nested}}}]`);
    assert.equal(
      (await importFile(deep, '--connection', DB)).stderr,
      `latchkey: ${deep}: [0].user_metadata.x[0]: nested more than 64 levels deep\n`,
      'one line naming the place, not "Maximum call stack size exceeded"',
    );
    const object = writeUsers('object.json', { users: [] });
    assert.equal(
      (await importFile(object, '--connection', DB)).stderr,
      `latchkey: ${object}: expected an array of users at the top level, got object\n`,
    );
    const endless = join(dir, 'endless.json'); // read in chunks: stops at the cap, no heap crash
    symlinkSync('/dev/zero', endless);
    assert.equal(
      (await importFile(endless, '--connection', DB)).stderr,
      `latchkey: ${endless}: file is larger than 128 MiB (split it into several imports)\n`,
    );
  });
});

/**
 * OTP secrets at rest: AES-256-GCM sealing, and where the key comes from (configuration, else
 * a generated 0600 file in the data directory that later starts reuse).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../src/config/server-config.js';
import { loadEncryptionKey, parseEncryptionKey } from '../../src/mfa/encryption-key.js';
import { open, seal } from '../../src/mfa/sealed-secret.js';

describe('sealed secrets', () => {
  const key = randomBytes(32);

  it('round-trips, with a fresh IV each time and no clear text', () => {
    const a = seal('JBSWY3DPEHPK3PXP', key);
    const b = seal('JBSWY3DPEHPK3PXP', key);
    assert.notEqual(a, b);
    assert.match(a, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(!a.includes('JBSWY3DPEHPK3PXP'));
    assert.equal(open(a, key), 'JBSWY3DPEHPK3PXP');
  });

  it('refuses another key, a tampered value and garbage', () => {
    const sealed = seal('secret', key);
    assert.throws(() => open(sealed, randomBytes(32)));
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3] ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    parts[3] = flipped.toString('base64url');
    assert.throws(() => open(parts.join('.'), key));
    assert.throws(() => open('not sealed', key), /not a sealed secret/);
  });
});

describe('encryption key', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-key-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts 32 bytes as hex, base64url or base64 and nothing else', () => {
    const bytes = randomBytes(32);
    assert.deepEqual(parseEncryptionKey(bytes.toString('hex')), bytes);
    assert.deepEqual(parseEncryptionKey(bytes.toString('base64url')), bytes);
    assert.deepEqual(parseEncryptionKey(bytes.toString('base64')), bytes);
    assert.throws(() => parseEncryptionKey('short'), ConfigError);
    assert.throws(() => parseEncryptionKey(randomBytes(16).toString('hex')), ConfigError);
  });

  it('prefers the configured key and writes no file', async () => {
    const dir = tempDir();
    const bytes = randomBytes(32);
    assert.deepEqual(await loadEncryptionKey(bytes.toString('hex'), dir), bytes);
    assert.throws(() => statSync(join(dir, 'encryption.key')));
  });

  it('generates a 0600 key file once and reuses it', async () => {
    const dir = join(tempDir(), 'nested');
    const first = await loadEncryptionKey(undefined, dir);
    const file = join(dir, 'encryption.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(first.length, 32);
    assert.deepEqual(await loadEncryptionKey('', dir), first);
    assert.deepEqual(parseEncryptionKey(readFileSync(file, 'utf8')), first);
  });

  it('names the file when its content is not a key', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'encryption.key'), 'nonsense');
    await assert.rejects(loadEncryptionKey(undefined, dir), /encryption\.key: encryption key/);
  });
});

/**
 * @module mfa/encryption-key
 *
 * The key that encrypts OTP secrets at rest: 32 bytes, given as base64/base64url or 64 hex
 * digits by `--encryption-key` / `LATCHKEY_ENCRYPTION_KEY`, else read from (or, the first
 * time, generated into) `encryption.key` in the data directory with mode 0600. Keep that file
 * apart from database backups: a backup of the database alone does not reveal OTP secrets.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../config/server-config.js';

export const ENCRYPTION_KEY_FILE = 'encryption.key';

/** Decodes a configured key; throws {@link ConfigError} unless it is exactly 32 bytes. */
export function parseEncryptionKey(value: string): Buffer {
  const text = value.trim();
  // Buffer.from(…, 'base64url') skips characters outside the alphabet: check them first
  const isHex = /^[0-9a-fA-F]{64}$/.test(text);
  const key = isHex
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text)
      ? Buffer.from(text, 'base64url')
      : Buffer.alloc(0);
  if (key.length !== 32)
    throw new ConfigError('encryption key must be 32 bytes (base64, base64url or 64 hex digits)');
  return key;
}

async function readKeyFile(path: string): Promise<Buffer | null> {
  try {
    return parseEncryptionKey(await readFile(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (err instanceof ConfigError) throw new ConfigError(`${path}: ${err.message}`);
    throw code ? new ConfigError(`${path}: cannot read the encryption key (${code})`) : err;
  }
}

/** The configured key, or the data directory's key file (created when missing). */
export async function loadEncryptionKey(
  configured: string | undefined,
  dataDir: string,
): Promise<Buffer> {
  if (configured !== undefined && configured !== '') {
    try {
      return parseEncryptionKey(configured);
    } catch (err) {
      throw err instanceof ConfigError
        ? new ConfigError(`--encryption-key (LATCHKEY_ENCRYPTION_KEY): ${err.message}`)
        : err;
    }
  }
  const path = join(dataDir, ENCRYPTION_KEY_FILE);
  const existing = await readKeyFile(path);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  try {
    await writeFile(path, `${randomBytes(32).toString('base64url')}\n`, {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Another process may have won the race to create it: whatever is there now is the key.
  const created = await readKeyFile(path);
  if (!created) throw new ConfigError(`${path}: could not create the encryption key`);
  return created;
}

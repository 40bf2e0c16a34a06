/**
 * @module config/tls-files
 *
 * The certificate chain and private key of `--tls-cert` / `--tls-key`, read and checked before
 * the server starts, so that a wrong file is a one-line error naming it (OpenSSL's own message,
 * `error:0480006C:PEM routines::no start line`, names neither the file nor which of the two).
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { TlsOptions } from '../http/app.js';
import { ConfigError } from './server-config.js';

/** OpenSSL's reason without its code: `error:0480006C:PEM routines::no start line` → `no start line`. */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('::').at(-1) ?? message;
}

async function read(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new ConfigError(
      `TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? reason(err)}`,
    );
  }
}

function parse<T>(file: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new ConfigError(`TLS ${what} ${file}: not a PEM ${what} (${reason(err)})`);
  }
}

/** Reads both files; throws {@link ConfigError} naming the file that is unreadable, not PEM, or does not match. */
export async function loadTlsFiles(files: {
  certFile: string;
  keyFile: string;
}): Promise<TlsOptions> {
  const cert = await read(files.certFile, 'certificate');
  const key = await read(files.keyFile, 'key');
  const leaf = parse(files.certFile, 'certificate', () => new X509Certificate(cert));
  const privateKey: KeyObject = parse(files.keyFile, 'key', () => createPrivateKey(key));
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new ConfigError(
      `TLS key ${files.keyFile} is not the key of the certificate ${files.certFile}`,
    );
  }
  return { cert, key };
}

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

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates of a PEM chain, leaf first. Every block must parse (node's TLS would refuse
 * a broken second block only when the server starts, in OpenSSL's words), and DER is refused.
 */
function certificateChain(file: string, pem: Buffer): X509Certificate[] {
  const blocks = pem.toString('latin1').match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new ConfigError(
      `TLS certificate ${file}: not a PEM certificate (no "-----BEGIN CERTIFICATE-----" block)`,
    );
  }
  return blocks.map((block) => parse(file, 'certificate', () => new X509Certificate(block)));
}

function privateKeyOf(file: string, pem: Buffer): KeyObject {
  if (!pem.includes('-----BEGIN')) {
    throw new ConfigError(`TLS key ${file}: not a PEM key (no "-----BEGIN" line)`);
  }
  if (pem.includes('ENCRYPTED')) {
    throw new ConfigError(`TLS key ${file}: an encrypted key is not supported; give it decrypted`);
  }
  return parse(file, 'key', () => createPrivateKey(pem));
}

/**
 * Reads both files; throws {@link ConfigError} naming the file that is unreadable, not PEM, or
 * does not match.
 */
export async function loadTlsFiles(files: {
  certFile: string;
  keyFile: string;
}): Promise<TlsOptions> {
  const cert = await read(files.certFile, 'certificate');
  const key = await read(files.keyFile, 'key');
  const [leaf] = certificateChain(files.certFile, cert);
  const privateKey = privateKeyOf(files.keyFile, key);
  if (!leaf?.checkPrivateKey(privateKey)) {
    throw new ConfigError(
      `TLS key ${files.keyFile} is not the key of the certificate ${files.certFile}`,
    );
  }
  return { cert, key };
}

/**
 * @module config/server-config
 *
 * Runtime settings of `latchkey serve` and how the issuer is derived: `<scheme>://<host>:<port>/`
 * with `localhost` when bound to all interfaces, always with the trailing slash Auth0 uses.
 */
import { isIP } from 'node:net';
import type { HashPoolOptions } from '../accounts/hash-scheduler.js';
import type { DpopSettings } from '../dpop/dpop-settings.js';
import type { ConnectionLimits } from '../http/connection-limits.js';
import type { SmtpSettings } from '../mailer/smtp-mailer.js';
import type { LogLevel } from '../observability/logger.js';

export interface ServerConfig {
  host: string;
  port: number;
  /** Directory holding `latchkey.db`. */
  dataDir: string;
  /** Public issuer URL; derived from host and port when absent. */
  issuer?: string;
  /** Tenant file imported (upserted) at start. */
  tenantFile?: string;
  logLevel: LogLevel;
  /** PEM certificate chain and private key files: serve HTTPS instead of HTTP. */
  tls?: { certFile: string; keyFile: string };
  /**
   * Addresses or CIDR ranges of reverse proxies whose `X-Forwarded-For` / `X-Forwarded-Proto`
   * are believed. Empty: the socket peer is the client.
   */
  trustProxy?: string[];
  /** Open connections at most, in all and per client address (default `DEFAULT_CONNECTION_LIMITS`). */
  connectionLimits?: ConnectionLimits;
  /** Password-hash pool size and queue bounds (defaults: `DEFAULT_HASH_POOL`). */
  hashPool?: Partial<HashPoolOptions>;
  /** SMTP server for mail (MFA codes, unblock links); without it messages go to the development outbox. */
  smtp?: SmtpSettings;
  /** Key encrypting OTP secrets at rest; default: `encryption.key` in the data directory. */
  encryptionKey?: string;
  /** DPoP proof window and nonce policy (default `DEFAULT_DPOP_SETTINGS`). */
  dpop?: DpopSettings;
  /**
   * Serve plain HTTP under an `https://` issuer with no TLS and no trusted proxy (a test set-up);
   * otherwise that start is refused (TE-2).
   */
  allowPlainHttp?: boolean;
  /**
   * On a new data directory, a SIGINT or SIGTERM before the server is up removes what the start
   * made and exits (`undoNewDataDirOnSignal`); for the command line, not for embedding.
   */
  undoOnSignal?: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '']);

/** The issuer a server bound to `host:port` announces by default. */
export function defaultIssuer(
  host: string,
  port: number,
  scheme: 'http' | 'https' = 'http',
): string {
  const name = ALL_INTERFACES.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${name}:${port}/`;
}

/** Validates an issuer URL and adds the trailing slash when missing. */
export function normalizeIssuer(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`issuer ${JSON.stringify(value)} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`issuer ${JSON.stringify(value)} must use http or https`);
  }
  if (url.username || url.password) {
    // not repeated: the URL holds a password
    throw new ConfigError('issuer must not have credentials (user:password@)');
  }
  if (url.search || url.hash) {
    throw new ConfigError(`issuer ${JSON.stringify(value)} must not have a query or fragment`);
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/**
 * Refuses a start that would serve an `https://` issuer over plain HTTP with nothing in front
 * (TE-2): with neither TLS files nor a trusted proxy, every password and token would cross the
 * network in clear while the issuer promises HTTPS. `allowPlainHttp` lets a test set-up do it.
 */
export function checkTransport(config: {
  issuer?: string;
  tls?: unknown;
  trustProxy?: readonly string[];
  allowPlainHttp?: boolean;
}): void {
  if (config.tls || (config.trustProxy?.length ?? 0) > 0 || config.allowPlainHttp) return;
  if (config.issuer === undefined || !normalizeIssuer(config.issuer).startsWith('https:')) return;
  throw new ConfigError(
    'the issuer is https:// but this server would serve plain HTTP: give --tls-cert and --tls-key, or --trust-proxy for the TLS proxy in front (--allow-plain-http for a test set-up)',
  );
}

/**
 * Checks an interface to bind: an IP address (IPv6 without brackets) or a host name. Text
 * that only looks like an IPv4 address (`999.1.1.1`) or holds other characters is refused here,
 * naming the host, rather than later as an issuer that is not a URL.
 */
export function parseHost(value: string): string {
  if (value.includes('%')) {
    throw new ConfigError(
      `host ${JSON.stringify(value)} has an IPv6 zone, which no issuer URL can carry: bind :: or a global address`,
    );
  }
  if (isIP(value) !== 0) return value;
  const label = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/; // '_': container names
  const labels = value.replace(/\.$/, '').split('.');
  const numeric = /^[\d.]+$/.test(value);
  // a URL reads `0x7f.0.0.1` as 127.0.0.1 and `bücher.example` as punycode: the issuer would
  // name another host than the one bound
  const asUrl = URL.canParse(`http://${value}/`) ? new URL(`http://${value}/`).hostname : '';
  const valid = labels.every((l) => label.test(l)) && asUrl === value.toLowerCase();
  if (numeric || value.length > 253 || !valid) {
    throw new ConfigError(`host ${JSON.stringify(value)} is not an IP address or a host name`);
  }
  return value;
}

/** Parses a TCP port (0 = any free port). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new ConfigError(`port ${JSON.stringify(value)} must be an integer from 0 to 65535`);
  return port;
}

/** Parses a comma-separated list of IP addresses and CIDR ranges (IPv4 or IPv6). */
export function parseTrustedProxies(value: string): string[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const prefixOk =
      prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (family === 0 || !prefixOk)
      throw new ConfigError(
        `trusted proxy ${JSON.stringify(entry)} is not an IP address or CIDR range`,
      );
  }
  return entries;
}

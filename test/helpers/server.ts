/**
 * Boots a real Latchkey server on 127.0.0.1 with a tenant given as an object, for tests that
 * talk HTTP. Logs are captured so tests can assert on events and on what is never logged.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { PasswordHasher } from '../../src/accounts/password-hasher.js';
import type { ServerConfig } from '../../src/config/server-config.js';
import type { DpopSettings } from '../../src/dpop/dpop-settings.js';
import type { ConnectionLimits } from '../../src/http/connection-limits.js';
import { type RunningServer, startServer } from '../../src/server.js';
import type { Clock } from '../../src/shared/clock.js';

export interface TestServer extends RunningServer {
  readonly dataDir: string;
  /** Every log line written so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Raw log text, for "never logged" checks. */
  logText(): string;
  /** POST /oauth/token with a form body (or JSON with `json: true`). */
  token(params: Record<string, string>, options?: RequestOptions): Promise<TestResponse>;
}

export interface RequestOptions {
  json?: boolean;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface TestServerOptions {
  clock?: Clock;
  hasher?: PasswordHasher;
  issuer?: string;
  /** Reuse a data directory (restart tests). */
  dataDir?: string;
  tls?: { certFile: string; keyFile: string };
  trustProxy?: string[];
  /** Interface to bind (default 127.0.0.1; `localhost` binds 127.0.0.1 and ::1). */
  host?: string;
  /** MFA mail delivery and OTP-secret key (see `ServerConfig`). */
  mfa?: Pick<ServerConfig, 'smtp' | 'encryptionKey'>;
  dpop?: DpopSettings;
  connectionLimits?: ConnectionLimits;
}

class LogCollector extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
    done();
  }
}

export async function readResponse(response: Response): Promise<TestResponse> {
  const text = await response.text();
  let body: Record<string, unknown> = {};
  if (text !== '') {
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { raw: text };
    }
  }
  return { status: response.status, headers: response.headers, body };
}

export async function startTestServer(
  tenant: object,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-test-'));
  const tenantFile = join(dataDir, 'tenant.json');
  writeFileSync(tenantFile, JSON.stringify(tenant));
  const collector = new LogCollector();
  const server = await startServer({
    host: options.host ?? '127.0.0.1',
    port: 0,
    dataDir,
    tenantFile,
    issuer: options.issuer,
    logLevel: 'debug',
    logDestination: collector,
    clock: options.clock,
    hasher: options.hasher,
    tls: options.tls,
    trustProxy: options.trustProxy,
    ...options.mfa,
    dpop: options.dpop,
    connectionLimits: options.connectionLimits,
    allowPlainHttp: true, // a test may announce an https:// issuer over loopback HTTP
  });
  const tokenUrl = `${server.url}/oauth/token`;
  const extra = {
    dataDir,
    get logs() {
      return collector.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    logText: () => collector.lines.join('\n'),
    async token(params: Record<string, string>, opts: RequestOptions = {}) {
      const body = opts.json ? JSON.stringify(params) : new URLSearchParams(params).toString();
      const contentType = opts.json ? 'application/json' : 'application/x-www-form-urlencoded';
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': contentType, ...opts.headers },
        body,
      });
      return readResponse(response);
    },
    async close() {
      await server.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  // defineProperties keeps the getters live (Object.assign would copy their current values)
  return Object.defineProperties(
    Object.create(server),
    Object.getOwnPropertyDescriptors(extra),
  ) as TestServer;
}

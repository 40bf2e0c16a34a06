/**
 * @module cli/commands/serve
 *
 * `latchkey serve`: start the server. Every flag has a `LATCHKEY_*` environment variable.
 */

import { type Command, InvalidArgumentError, Option } from 'commander';
import { threadpoolSize } from '../../accounts/hash-scheduler.js';
import {
  ConfigError,
  parseHost,
  parsePort,
  parseTrustedProxies,
} from '../../config/server-config.js';
import { DEFAULT_DPOP_SETTINGS, type DpopNonceMode } from '../../dpop/dpop-settings.js';
import { DEFAULT_CONNECTION_LIMITS } from '../../http/connection-limits.js';
import type { LogLevel } from '../../observability/logger.js';
import { KEY_POLL_MS, startServer } from '../../server.js';
import {
  type HashPoolFlags,
  hashConcurrencyOption,
  hashPool,
  hashQueueOption,
  hashQueuePerSourceOption,
} from './hash-pool-options.js';
import { addMailOptions, type MailFlags, parseSwitch, smtpSettings } from './mail-options.js';
import { dataOption, nonEmpty } from './shared.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function hostArgument(value: string): string {
  try {
    return parseHost(nonEmpty(value));
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    throw new InvalidArgumentError((err as Error).message);
  }
}

function portArgument(value: string): number {
  try {
    return parsePort(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d*$/.test(value))
    throw new InvalidArgumentError(`${JSON.stringify(value)} must be a positive integer`);
  return Number(value);
}

/** A parser of positive integers up to `max`. */
function positiveUpTo(max: number): (value: string) => number {
  return (value) => {
    const n = positiveInteger(value);
    if (n > max) throw new InvalidArgumentError(`${JSON.stringify(value)} must be at most ${max}`);
    return n;
  };
}

/** The longest delay node's timers keep (2³¹ − 1 ms, ~24.8 days); a longer one fires after 1 ms. */
const timerMilliseconds = positiveUpTo(2 ** 31 - 1);

/** The most connections taken as a limit (far beyond what one process's descriptors allow). */
const connectionLimit = positiveUpTo(1_000_000);

/** The widest DPoP proof window taken: a day (RFC 9449 suggests seconds to minutes). */
const proofWindowSeconds = positiveUpTo(86_400);

interface ServeFlags extends HashPoolFlags, MailFlags {
  host: string;
  port: number;
  data: string;
  issuer?: string;
  tenant?: string;
  logLevel: LogLevel;
  keyPollMs: number;
  tlsCert?: string;
  tlsKey?: string;
  trustProxy?: string[];
  maxConnections: number;
  maxConnectionsPerIp: number;
  allowPlainHttp?: boolean;
  dpopProofWindow: number;
  dpopNonce: DpopNonceMode;
}

function trustedProxies(value: string): string[] {
  try {
    return parseTrustedProxies(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function tlsFiles(flags: ServeFlags): { certFile: string; keyFile: string } | undefined {
  if (flags.tlsCert === undefined && flags.tlsKey === undefined) return undefined;
  if (flags.tlsCert === undefined || flags.tlsKey === undefined) {
    throw new ConfigError('--tls-cert and --tls-key must be given together');
  }
  return { certFile: flags.tlsCert, keyFile: flags.tlsKey };
}

export function registerServe(program: Command): void {
  const serve = program.command('serve');
  addMailOptions(serve)
    .description('start the authorization server')
    .addOption(
      new Option('--host <host>', 'interface to bind')
        .env('LATCHKEY_HOST')
        .default('localhost')
        .argParser(hostArgument),
    )
    .addOption(
      new Option('--port <port>', 'TCP port (0 = any free port)')
        .env('LATCHKEY_PORT')
        .default(3000)
        .argParser(portArgument),
    )
    .addOption(dataOption())
    .addOption(
      new Option('--issuer <url>', 'public issuer URL (default http://<host>:<port>/)')
        .env('LATCHKEY_ISSUER')
        .argParser(nonEmpty),
    )
    .addOption(
      new Option('--tenant <file>', 'tenant file (YAML or JSON) to import at start')
        .env('LATCHKEY_TENANT')
        .argParser(nonEmpty),
    )
    .addOption(
      new Option('--log-level <level>', 'log level')
        .env('LATCHKEY_LOG_LEVEL')
        .choices(LOG_LEVELS)
        .default('info'),
    )
    .addOption(
      new Option(
        '--key-poll-ms <ms>',
        'how often to look for keys rotated by `latchkey keys rotate`',
      )
        .env('LATCHKEY_KEY_POLL_MS')
        .default(KEY_POLL_MS)
        .argParser(timerMilliseconds),
    )
    .addOption(
      new Option('--tls-cert <file>', 'PEM certificate chain: serve HTTPS')
        .env('LATCHKEY_TLS_CERT')
        .argParser(nonEmpty),
    )
    .addOption(
      new Option('--tls-key <file>', 'PEM private key of --tls-cert')
        .env('LATCHKEY_TLS_KEY')
        .argParser(nonEmpty),
    )
    .addOption(
      new Option(
        '--trust-proxy <list>',
        'comma-separated proxy IPs/CIDRs whose X-Forwarded-* headers are believed',
      )
        .env('LATCHKEY_TRUST_PROXY')
        .argParser(trustedProxies),
    )
    .addOption(
      new Option(
        '--allow-plain-http [bool]',
        'serve plain HTTP under an https:// issuer with no TLS and no --trust-proxy (test set-ups only)',
      )
        .env('LATCHKEY_ALLOW_PLAIN_HTTP')
        .argParser(parseSwitch),
    )
    .addOption(
      new Option('--max-connections <n>', 'open connections at most (more are closed at once)')
        .env('LATCHKEY_MAX_CONNECTIONS')
        .default(DEFAULT_CONNECTION_LIMITS.total)
        .argParser(connectionLimit),
    )
    .addOption(
      new Option(
        '--max-connections-per-ip <n>',
        'open connections at most from one client address (IPv6: one /64; --trust-proxy addresses are exempt)',
      )
        .env('LATCHKEY_MAX_CONNECTIONS_PER_IP')
        .default(DEFAULT_CONNECTION_LIMITS.perAddress)
        .argParser(connectionLimit),
    )
    .addOption(hashConcurrencyOption())
    .addOption(hashQueueOption())
    .addOption(hashQueuePerSourceOption())
    .addOption(
      new Option('--dpop-proof-window <s>', 'seconds a DPoP proof iat may differ from now')
        .env('LATCHKEY_DPOP_PROOF_WINDOW')
        .default(DEFAULT_DPOP_SETTINGS.proofWindowS)
        .argParser(proofWindowSeconds),
    )
    .addOption(
      new Option('--dpop-nonce <who>', 'clients that must send a DPoP nonce')
        .env('LATCHKEY_DPOP_NONCE')
        .choices(['public', 'all'])
        .default(DEFAULT_DPOP_SETTINGS.nonce),
    )
    .action(async (flags: ServeFlags) => {
      const server = await startServer({
        host: flags.host,
        port: flags.port,
        dataDir: flags.data,
        issuer: flags.issuer,
        tenantFile: flags.tenant,
        logLevel: flags.logLevel,
        keyPollMs: flags.keyPollMs,
        tls: tlsFiles(flags),
        trustProxy: flags.trustProxy,
        connectionLimits: { total: flags.maxConnections, perAddress: flags.maxConnectionsPerIp },
        allowPlainHttp: flags.allowPlainHttp === true,
        undoOnSignal: true,
        hashPool: hashPool(flags),
        smtp: smtpSettings(flags),
        encryptionKey: flags.encryptionKey,
        dpop: { proofWindowS: flags.dpopProofWindow, nonce: flags.dpopNonce },
      });
      const listening = {
        url: server.url,
        issuer: server.issuer,
        threadpool_size: threadpoolSize(),
        hash_concurrency: server.provider.hasher.scheduler?.concurrency,
      };
      server.provider.logger.info(listening, 'latchkey listening');
      const stop = () => {
        server.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}

/**
 * @module server
 *
 * The composition root: storage → tenant import → keys and secrets → provider → grant registry
 * → HTTP app. `startServer` is what `latchkey serve` and the tests run.
 */
import { existsSync, statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { DecoyHashes, decoyKey } from './accounts/decoy-hashes.js';
import { governHashPool } from './accounts/hash-governor.js';
import { Argon2PasswordHasher, type PasswordHasher } from './accounts/password-hasher.js';
import { ClientAuthThrottle } from './client-auth/failure-throttle.js';
import { ClientSecretVerifier } from './client-auth/verifiers/client-secret.js';
import {
  ConfigError,
  checkTransport,
  defaultIssuer,
  normalizeIssuer,
  type ServerConfig,
} from './config/server-config.js';
import { loadTlsFiles } from './config/tls-files.js';
import { DEFAULT_DPOP_SETTINGS, type DpopSettings } from './dpop/dpop-settings.js';
import { builtInGrants } from './grants/index.js';
import { buildApp } from './http/app.js';
import { KeyManager } from './keys/key-manager.js';
import { createMailer } from './mailer/create-mailer.js';
import { schedulePurge } from './maintenance/purge.js';
import { ENCRYPTION_KEY_FILE, loadEncryptionKey } from './mfa/encryption-key.js';
import { createLogger, type Logger } from './observability/logger.js';
import { GrantRegistry } from './provider/grant-registry.js';
import {
  type Provider,
  type ProviderSecrets,
  type ProviderUrls,
  providerUrls,
} from './provider/provider.js';
import { type Clock, systemClock } from './shared/clock.js';
import { randomToken } from './shared/crypto.js';
import { withConfigCache } from './storage/config-cache.js';
import { withLogEventBuffer } from './storage/log-event-buffer.js';
import {
  databaseFile,
  dataDirBefore,
  undoNewDataDir,
  undoNewDataDirOnSignal,
} from './storage/sqlite/data-dir.js';
import { openSqliteStorage } from './storage/sqlite/sqlite-storage.js';
import type { Storage } from './storage/storage.js';
import { importTenantFile } from './tenant/import-tenant-file.js';

/** How often a running server looks for keys rotated by another process (default). */
export const KEY_POLL_MS = 10_000;

export interface StartOptions extends ServerConfig {
  clock?: Clock;
  /** Where log lines go (default stdout). */
  logDestination?: NodeJS.WritableStream;
  hasher?: PasswordHasher;
  /** Key poll interval in ms (default {@link KEY_POLL_MS}). */
  keyPollMs?: number;
}

export interface RunningServer {
  /** Base URL the server listens on, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly issuer: string;
  readonly app: FastifyInstance;
  readonly storage: Storage;
  readonly provider: Provider;
  close(): Promise<void>;
}

/**
 * Opens the SQLite store of a data directory (creating both when missing). A path that is not
 * a directory, or a file that is not a database, is a {@link ConfigError} naming it.
 */
export async function openDataDir(dataDir: string): Promise<Storage> {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    throw new ConfigError(`data directory ${dataDir} is not a directory`);
  }
  const file = databaseFile(dataDir);
  try {
    return await openSqliteStorage({ path: file });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
      throw new ConfigError(`${file} is not a Latchkey database (${code})`);
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
      throw new ConfigError(`${file}: cannot open (${code})`);
    throw err;
  }
}

async function loadSecrets(storage: Storage, config: ServerConfig): Promise<ProviderSecrets> {
  const refreshTokenKey = await storage.secrets.getOrCreate(
    'refresh_token_successor_key',
    randomToken(32),
  );
  const dpopNonceKey = await storage.secrets.getOrCreate('dpop_nonce_key', randomToken(32));
  return {
    refreshTokenKey: Buffer.from(refreshTokenKey, 'base64url'),
    encryptionKey: await loadEncryptionKey(config.encryptionKey, config.dataDir),
    dpopNonceKey: Buffer.from(dpopNonceKey, 'base64url'),
  };
}

function listenUrl(app: FastifyInstance, host: string, scheme: 'http' | 'https'): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const name =
    host === 'localhost'
      ? 'localhost'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
  return `${scheme}://${name}:${address.port}`;
}

interface Parts {
  dpop: DpopSettings;
  storage: Storage;
  logger: Logger;
  hasher: PasswordHasher;
  clock: Clock;
  config: ServerConfig;
}

/** Everything protocol code needs; `urls` is read through `currentUrls` (known after listen). */
async function assembleProvider(parts: Parts, currentUrls: () => ProviderUrls): Promise<Provider> {
  const { storage, hasher, clock, logger, config } = parts;
  const secrets = await loadSecrets(storage, config);
  return {
    get urls() {
      return currentUrls();
    },
    secrets,
    storage,
    keys: await KeyManager.open(storage, new Date(clock.now())),
    hasher,
    decoys: new DecoyHashes(storage.users, hasher, decoyKey(secrets.encryptionKey)),
    clientSecrets: new ClientSecretVerifier(hasher),
    clientAuthFailures: new ClientAuthThrottle(),
    clock,
    logger,
    mailer: createMailer(config.smtp, storage, clock),
    dpop: parts.dpop,
  };
}

/** Starts Latchkey with `config` and resolves once it is listening. */
export async function startServer(config: StartOptions): Promise<RunningServer> {
  checkTransport(config);
  const logger = createLogger(config.logLevel, config.logDestination);
  const parts = {
    logger,
    clock: config.clock ?? systemClock,
    hasher: config.hasher ?? new Argon2PasswordHasher(config.hashPool),
    dpop: config.dpop ?? DEFAULT_DPOP_SETTINGS,
  };
  const tls = config.tls && (await loadTlsFiles(config.tls));
  const scheme = tls ? 'https' : 'http';
  const before = dataDirBefore(config.dataDir, [ENCRYPTION_KEY_FILE]);
  const release = config.undoOnSignal
    ? undoNewDataDirOnSignal(before, [ENCRYPTION_KEY_FILE])
    : () => {};
  const storage = await openDataDir(config.dataDir).then(
    (opened) => withLogEventBuffer(withConfigCache(opened, parts.clock)),
    (err: unknown) => {
      release();
      throw err;
    },
  );
  let stopDecoys = () => {};
  try {
    if (config.tenantFile) {
      const summary = await importTenantFile(storage, config.tenantFile, parts.hasher);
      logger.info({ summary, file: config.tenantFile }, 'tenant file imported');
    }
    let urls = providerUrls(
      normalizeIssuer(config.issuer ?? defaultIssuer(config.host, config.port, scheme)),
    );
    const provider = await assembleProvider({ ...parts, storage, config }, () => urls);
    // minted before the port opens: the first unknown-user login already costs a user's work
    stopDecoys = await provider.decoys.start((err) =>
      logger.warn({ err }, 'decoy hashes not refreshed'),
    );
    const registry = new GrantRegistry();
    for (const grant of builtInGrants) registry.register(grant);
    const app = await buildApp({
      provider,
      registry,
      logger,
      tls,
      trustProxy: config.trustProxy,
      connectionLimits: config.connectionLimits,
    });
    await app.listen({ host: config.host, port: config.port });
    const url = listenUrl(app, config.host, scheme);
    if (!config.issuer)
      urls = providerUrls(defaultIssuer(config.host, Number(new URL(url).port), scheme));
    provider.keys.watch(config.keyPollMs ?? KEY_POLL_MS, (err) =>
      logger.error({ err }, 'signing key refresh failed'),
    );
    const stopPurge = schedulePurge(storage, parts.clock, logger);
    const stopGovernor = governHashPool(parts.hasher);
    const stopBackground = () => {
      stopDecoys();
      stopPurge();
      stopGovernor();
    };
    release();
    return runningServer(url, () => urls, app, provider, stopBackground);
  } catch (err) {
    release();
    stopDecoys();
    await storage.close();
    undoNewDataDir(before, [ENCRYPTION_KEY_FILE]);
    throw err;
  }
}

function runningServer(
  url: string,
  urls: () => ProviderUrls,
  app: FastifyInstance,
  provider: Provider,
  stopBackground: () => void,
): RunningServer {
  return {
    url,
    get issuer() {
      return urls().issuer;
    },
    app,
    storage: provider.storage,
    provider,
    async close() {
      provider.keys.stop();
      stopBackground();
      await app.close();
      await provider.storage.close();
    },
  };
}

/**
 * @module server
 *
 * The composition root: storage → tenant import → keys → provider → grant registry → HTTP app.
 * `startServer` is what `latchkey serve` and the tests run.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Argon2PasswordHasher, type PasswordHasher } from './accounts/password-hasher.js';
import { ClientSecretVerifier } from './client-auth/verifiers/client-secret.js';
import { defaultIssuer, normalizeIssuer, type ServerConfig } from './config/server-config.js';
import { builtInGrants } from './grants/index.js';
import { buildApp } from './http/app.js';
import { KeyManager } from './keys/key-manager.js';
import { createLogger } from './observability/logger.js';
import { GrantRegistry } from './provider/grant-registry.js';
import { type Provider, type ProviderUrls, providerUrls } from './provider/provider.js';
import { type Clock, systemClock } from './shared/clock.js';
import { withConfigCache } from './storage/config-cache.js';
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

/** Opens the SQLite store of a data directory. */
export function openDataDir(dataDir: string): Promise<Storage> {
  return openSqliteStorage({ path: join(dataDir, 'latchkey.db') });
}

function listenUrl(app: FastifyInstance, host: string): string {
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const name =
    host === 'localhost'
      ? 'localhost'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
  return `http://${name}:${address.port}`;
}

/** Starts Latchkey with `config` and resolves once it is listening. */
export async function startServer(config: StartOptions): Promise<RunningServer> {
  const clock = config.clock ?? systemClock;
  const logger = createLogger(config.logLevel, config.logDestination);
  const hasher = config.hasher ?? new Argon2PasswordHasher();
  const storage = withConfigCache(await openDataDir(config.dataDir), clock);
  try {
    if (config.tenantFile) {
      const summary = await importTenantFile(storage, config.tenantFile, hasher);
      logger.info({ summary, file: config.tenantFile }, 'tenant file imported');
    }
    const keys = await KeyManager.open(storage, new Date(clock.now()));
    let urls: ProviderUrls = providerUrls(
      normalizeIssuer(config.issuer ?? defaultIssuer(config.host, config.port)),
    );
    const provider: Provider = {
      get urls() {
        return urls;
      },
      storage,
      keys,
      hasher,
      clientSecrets: new ClientSecretVerifier(hasher),
      clock,
      logger,
    };
    const registry = new GrantRegistry();
    for (const grant of builtInGrants) registry.register(grant);
    const app = buildApp({ provider, registry, logger });
    await app.listen({ host: config.host, port: config.port });
    const url = listenUrl(app, config.host);
    if (!config.issuer) urls = providerUrls(defaultIssuer(config.host, Number(new URL(url).port)));
    keys.watch(config.keyPollMs ?? KEY_POLL_MS, (err) =>
      logger.error({ err }, 'signing key refresh failed'),
    );
    return {
      url,
      get issuer() {
        return urls.issuer;
      },
      app,
      storage,
      provider,
      async close() {
        keys.stop();
        await app.close();
        await storage.close();
      },
    };
  } catch (err) {
    await storage.close();
    throw err;
  }
}

/**
 * @module http/app
 *
 * Builds the fastify instance: logger, body parsers, error handler, routes. Protocol code never
 * imports fastify; this folder is the only HTTP wiring.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { IpAllowlist } from '../attack-protection/ip-address.js';
import { OAuthError } from '../errors/oauth-error.js';
import { CorsPolicy } from '../provider/cors-policy.js';
import type { GrantRegistry } from '../provider/grant-registry.js';
import type { Provider } from '../provider/provider.js';
import {
  type ConnectionLimits,
  DEFAULT_CONNECTION_LIMITS,
  limitConnections,
} from './connection-limits.js';
import { BODY_LIMIT, registerBodyParsers } from './plugins/body-parsers.js';
import { registerCors } from './plugins/cors.js';
import { handleClientError, handleError, registerErrorHandler } from './plugins/error-handler.js';
import { registerNoStore } from './plugins/no-store.js';
import { RequestLog } from './plugins/request-log.js';
import { registerTransportSecurity } from './plugins/transport-security.js';
import { registerRoutes } from './routes.js';

/** PEM contents of the certificate chain and key. */
export interface TlsOptions {
  cert: Buffer;
  key: Buffer;
}

export interface AppOptions {
  provider: Provider;
  registry: GrantRegistry;
  logger: FastifyBaseLogger;
  /** Serve HTTPS with this certificate. */
  tls?: TlsOptions;
  /** Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (IPs or CIDRs). */
  trustProxy?: string[];
  /** Open connections at most, in all and per client address (DS-6). */
  connectionLimits?: ConnectionLimits;
}

/** How long in-flight requests get to finish once the server is closing. */
export const CLOSE_DEADLINE_MS = 5_000;

/**
 * Graceful close: from `close()` on, every response says `Connection: close` so keep-alive
 * clients (and proxies) hang up after their last answer instead of holding the server open
 * for the keep-alive timeout; connections still open after {@link CLOSE_DEADLINE_MS} are cut.
 */
function closeGracefully(app: FastifyInstance): void {
  let closing = false;
  let deadline: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    closing = true;
    deadline = setTimeout(() => app.server.closeAllConnections(), CLOSE_DEADLINE_MS).unref();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('Connection', 'close');
  });
  app.addHook('onClose', async () => clearTimeout(deadline));
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { provider, registry, logger, tls, trustProxy } = options;
  const limits = options.connectionLimits ?? DEFAULT_CONNECTION_LIMITS;
  const app = Fastify({
    https: tls ?? null,
    trustProxy: trustProxy && trustProxy.length > 0 ? trustProxy : false,
    loggerInstance: logger,
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
    frameworkErrors: handleError,
    clientErrorHandler: handleClientError,
  });
  const proxies = IpAllowlist.of(trustProxy ?? []);
  limitConnections(
    app.server,
    limits,
    (ip) => proxies.has(ip),
    (reason, address) =>
      logger.warn({ reason, address, limits }, 'connections refused: too many open'),
  );
  registerErrorHandler(app);
  closeGracefully(app);
  registerNoStore(app);
  registerTransportSecurity(app, provider, (trustProxy?.length ?? 0) > 0);
  registerBodyParsers(app);
  await registerCors(app, new CorsPolicy(provider.storage, provider.clock));
  registerRoutes(app, provider, registry);
  app.setNotFoundHandler(async () => {
    throw new OAuthError('not_found');
  });
  return app;
}

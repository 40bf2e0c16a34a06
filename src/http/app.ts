/**
 * @module http/app
 *
 * Builds the fastify instance: logger, body parsers, error handler, routes. Protocol code never
 * imports fastify; this folder is the only HTTP wiring.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { OAuthError } from '../errors/oauth-error.js';
import type { GrantRegistry } from '../provider/grant-registry.js';
import type { Provider } from '../provider/provider.js';
import { BODY_LIMIT, registerBodyParsers } from './plugins/body-parsers.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { RequestLog } from './plugins/request-log.js';
import { registerRoutes } from './routes.js';

export interface AppOptions {
  provider: Provider;
  registry: GrantRegistry;
  logger: FastifyBaseLogger;
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

export function buildApp({ provider, registry, logger }: AppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
  });
  closeGracefully(app);
  registerBodyParsers(app);
  registerErrorHandler(app);
  registerRoutes(app, provider, registry);
  app.setNotFoundHandler(async () => {
    throw new OAuthError('not_found');
  });
  return app;
}

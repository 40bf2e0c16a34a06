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
import { registerRoutes } from './routes.js';

export interface AppOptions {
  provider: Provider;
  registry: GrantRegistry;
  logger: FastifyBaseLogger;
}

export function buildApp({ provider, registry, logger }: AppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    requestTimeout: 30_000,
    connectionTimeout: 30_000,
  });
  registerBodyParsers(app);
  registerErrorHandler(app);
  registerRoutes(app, provider, registry);
  app.setNotFoundHandler(async () => {
    throw new OAuthError('not_found');
  });
  return app;
}

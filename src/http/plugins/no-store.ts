/**
 * @module http/plugins/no-store
 *
 * RFC 6749 §5.1 / TE-6: every response of an endpoint that carries credentials or tokens, errors
 * included, says `Cache-Control: no-store` and `Pragma: no-cache`. Registered first, so even a
 * request refused by an earlier hook carries them.
 */
import type { FastifyInstance } from 'fastify';

/** Paths whose responses must never be cached. */
export const CREDENTIAL_PATHS: ReadonlySet<string> = new Set([
  '/oauth/token',
  '/oauth/revoke',
  '/userinfo',
]);

export function registerNoStore(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    if (CREDENTIAL_PATHS.has(request.url.split('?')[0] ?? '')) {
      reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    }
  });
}

/**
 * @module http/mfa-routes
 *
 * Routes of Auth0's MFA API: `/mfa/authenticators`, `/mfa/associate`, `/mfa/challenge`.
 * Handlers only translate between HTTP and the protocol functions in `endpoints/mfa/`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { associate } from '../endpoints/mfa/associate.js';
import { deleteAuthenticator, listAuthenticators } from '../endpoints/mfa/authenticators.js';
import { challenge } from '../endpoints/mfa/challenge.js';
import type { TokenRequest } from '../grants/grant-handler.js';
import type { Provider } from '../provider/provider.js';
import { bodyParams } from './plugins/body-parsers.js';

function mfaRequest(request: FastifyRequest): TokenRequest {
  return { params: bodyParams(request.body), headers: request.headers, ip: request.ip };
}

export function registerMfaRoutes(app: FastifyInstance, provider: Provider): void {
  app.get('/mfa/authenticators', async (request) =>
    listAuthenticators(provider, request.headers.authorization),
  );
  app.delete<{ Params: { id: string } }>('/mfa/authenticators/:id', async (request, reply) => {
    await deleteAuthenticator(provider, request.headers.authorization, request.params.id);
    return reply.code(204).send();
  });
  app.post('/mfa/associate', async (request) => associate(provider, mfaRequest(request)));
  app.post('/mfa/challenge', async (request) => challenge(provider, mfaRequest(request)));
}

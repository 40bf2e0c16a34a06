/**
 * @module http/routes
 *
 * The route table: the one place that lists the HTTP surface. Handlers only translate between
 * HTTP and the protocol functions.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { freshNonce } from '../dpop/token-endpoint-proof.js';
import { discoveryDocument } from '../endpoints/discovery.js';
import { revokeToken } from '../endpoints/revocation.js';
import { shedEarly } from '../endpoints/token/early-shed.js';
import { handleTokenRequest } from '../endpoints/token/token-endpoint.js';
import { userinfo } from '../endpoints/userinfo.js';
import { OAuthError } from '../errors/oauth-error.js';
import { audit } from '../events/audit.js';
import type { TokenRequest } from '../grants/grant-handler.js';
import type { GrantRegistry } from '../provider/grant-registry.js';
import type { Provider } from '../provider/provider.js';
import { optionalParam } from '../shared/params.js';
import { registerMfaRoutes } from './mfa-routes.js';
import { bodyParams } from './plugins/body-parsers.js';
import { toOAuthError } from './plugins/error-handler.js';
import { registerUnblockRoutes } from './unblock-routes.js';

/** Query parameters that must never carry credentials (TE-9). */
const SECRET_QUERY_PARAMS = ['client_secret', 'password', 'client_assertion', 'refresh_token'];

function tokenRequest(request: FastifyRequest): TokenRequest {
  const query = new URLSearchParams(request.url.split('?')[1] ?? '');
  if (SECRET_QUERY_PARAMS.some((name) => query.has(name)))
    throw new OAuthError('credentials_in_query');
  return { params: bodyParams(request.body), headers: request.headers, ip: request.ip };
}

function recordFailure(
  provider: Provider,
  registry: GrantRegistry,
  request: TokenRequest | undefined,
  err: unknown,
): void {
  const error = toOAuthError(err);
  // load shedding and a storage outage are not authentication outcomes, and writing an event
  // per shed request would spend on a flood the work the 503 exists to save
  if (error.status === 503) return;
  const grantType = request ? optionalParam(request.params, 'grant_type') : undefined;
  audit(provider, {
    type: (grantType && registry.get(grantType)?.failureEvent) || 'fepft',
    description: error.description,
    client_id: request ? optionalParam(request.params, 'client_id') : undefined,
    ip: request?.ip,
    grant_type: grantType,
  });
}

export function registerRoutes(
  app: FastifyInstance,
  provider: Provider,
  registry: GrantRegistry,
): void {
  const preValidation = async (request: FastifyRequest) =>
    shedEarly(provider, registry, {
      params: bodyParams(request.body),
      headers: request.headers,
      ip: request.ip,
    });
  app.post('/oauth/token', { preValidation }, async (request, reply) => {
    let parsed: TokenRequest | undefined;
    try {
      parsed = tokenRequest(request);
      const response = await handleTokenRequest(provider, registry, parsed);
      if (request.headers.dpop !== undefined) reply.header('DPoP-Nonce', freshNonce(provider));
      return response;
    } catch (err) {
      recordFailure(provider, registry, parsed, err);
      throw err;
    }
  });
  const otherMethods = ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH'] as const;
  app.route({
    method: [...otherMethods],
    url: '/oauth/token',
    handler: async (_request, reply) => {
      reply.header('Allow', 'POST');
      throw new OAuthError('method_not_allowed');
    },
  });
  app.post('/oauth/revoke', async (request, reply) => {
    await revokeToken(provider, tokenRequest(request));
    return reply.code(200).send();
  });
  const userinfoHandler = (request: FastifyRequest) =>
    userinfo(provider, {
      authorization: request.headers.authorization,
      dpop: request.headers.dpop,
      method: request.method,
    });
  app.get('/userinfo', userinfoHandler);
  app.post('/userinfo', userinfoHandler);
  registerUnblockRoutes(app, provider);
  registerMfaRoutes(app, provider);
  app.get('/.well-known/jwks.json', async () => provider.keys.jwks);
  app.get('/.well-known/openid-configuration', async () =>
    discoveryDocument({ urls: provider.urls, grantTypes: registry.grantTypes }),
  );
}

/**
 * @module http/plugins/cors
 *
 * CORS through `@fastify/cors`, decided per request by {@link CorsPolicy}. It runs at
 * `preHandler`, after the body is parsed, so a token or revocation request is judged by its own
 * client's origins. Origins no client lists get no CORS headers at all.
 */
import cors, { type FastifyCorsOptions } from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseBasicAuthorization } from '../../client-auth/parsers/basic.js';
import type { CorsPolicy } from '../../provider/cors-policy.js';
import { optionalParam } from '../../shared/params.js';
import { bodyParams } from './body-parsers.js';

const ALLOWED: FastifyCorsOptions = {
  origin: true,
  methods: ['GET', 'POST'],
  allowedHeaders: ['Content-Type', 'Authorization', 'Auth0-Client', 'DPoP'],
  exposedHeaders: ['DPoP-Nonce', 'WWW-Authenticate', 'Retry-After'],
  credentials: true,
  maxAge: 86_400,
};
const DENIED: FastifyCorsOptions = { origin: false };

function clientIdOf(request: FastifyRequest): string | undefined {
  if (request.method !== 'POST') return undefined;
  try {
    return (
      parseBasicAuthorization(request.headers.authorization)?.clientId ??
      optionalParam(bodyParams(request.body), 'client_id')
    );
  } catch {
    return undefined; // a malformed header is the handler's to report
  }
}

export async function registerCors(app: FastifyInstance, policy: CorsPolicy): Promise<void> {
  await app.register(cors, {
    hook: 'preHandler',
    delegator: async (request: FastifyRequest) => {
      const origin = request.headers.origin;
      if (origin === undefined) return DENIED;
      return (await policy.allows(origin, clientIdOf(request))) ? ALLOWED : DENIED;
    },
  });
}

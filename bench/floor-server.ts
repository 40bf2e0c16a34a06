/**
 * @module bench/floor-server
 *
 * The floor of the password grant: the server's own HTTP stack (fastify with Latchkey's logger,
 * request log, body parsers and no-store headers), its hasher (same pool) and its RS256 signer,
 * and nothing else: no storage, client authentication, attack protection or audit. What this
 * reaches of the raw argon2id ceiling is the most any grant on this stack and machine can reach;
 * the gap between it and the real grant is the cost of everything the grant adds.
 *
 * Usage: node --import tsx bench/floor-server.ts PORT [HASH_CONCURRENCY] (after `npm run build`)
 */
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type * as BodyParsers from '../src/http/plugins/body-parsers.js';
import type * as NoStore from '../src/http/plugins/no-store.js';
import type * as Requests from '../src/http/plugins/request-log.js';
import type * as Logging from '../src/observability/logger.js';
import type * as Params from '../src/shared/params.js';
import { built } from './built.js';
import { floorParts } from './floor-parts.js';

// Latchkey's own modules come from the build, as in the server child (bench/built.ts).
const { bodyParams, registerBodyParsers } = await built<typeof BodyParsers>(
  'http/plugins/body-parsers.js',
);
const { registerNoStore } = await built<typeof NoStore>('http/plugins/no-store.js');
const { RequestLog } = await built<typeof Requests>('http/plugins/request-log.js');
const { createLogger } = await built<typeof Logging>('observability/logger.js');
const { optionalParam } = await built<typeof Params>('shared/params.js');

const { port, hasher, hashes, privateKey, signJwt } = await floorParts(process.argv.slice(2));

const logger: FastifyBaseLogger = createLogger('info');
const app = Fastify({ loggerInstance: logger, logController: new RequestLog() });
registerNoStore(app);
registerBodyParsers(app);
app.get('/.well-known/openid-configuration', async () => ({}));
app.post('/oauth/token', async (request, reply) => {
  const params = bodyParams(request.body);
  const username = optionalParam(params, 'username') ?? '';
  const password = optionalParam(params, 'password') ?? '';
  const valid = await hasher.verify(password, hashes.get(username) ?? null, request.ip);
  if (!valid) return reply.code(403).send({ error: 'invalid_grant' });
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: username,
    aud: optionalParam(params, 'audience'),
    iat: now,
    exp: now + 3600,
  };
  const token = await signJwt({ alg: 'RS256', typ: 'JWT', kid: 'floor' }, claims, privateKey);
  return { access_token: token, token_type: 'Bearer', expires_in: 3600 };
});
await app.listen({ host: '127.0.0.1', port });

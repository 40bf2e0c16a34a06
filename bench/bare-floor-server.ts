/**
 * @module bench/bare-floor-server
 *
 * The floor under the floor: `node:http` with no framework, no logger and no hooks, the server's
 * hasher (same pool) and its RS256 signer (on the threadpool, as the server signs), and nothing
 * else. Where bench/floor-server.ts answers "what does the grant add to Latchkey's HTTP stack?",
 * this answers "what is left of the raw ceiling for any Node HTTP server on this machine, once it
 * has parsed a form, checked the password, signed a token and answered?". Opt-in
 * (`BENCH_BARE_FLOOR=1`), a reference like the floor.
 *
 * Usage: node --import tsx bench/bare-floor-server.ts PORT [HASH_CONCURRENCY] (after `npm run build`)
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { floorParts } from './floor-parts.js';

const { port, hasher, hashes, privateKey, signJwt } = await floorParts(process.argv.slice(2));

function answer(res: ServerResponse, status: number, value: object): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
  });
  res.end(body);
}

async function token(req: IncomingMessage, form: string): Promise<[number, object]> {
  const params = new URLSearchParams(form);
  const username = params.get('username') ?? '';
  const ip = req.socket.remoteAddress ?? '';
  const valid = await hasher.verify(params.get('password') ?? '', hashes.get(username) ?? null, ip);
  if (!valid) return [403, { error: 'invalid_grant' }];
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: username, aud: params.get('audience'), iat: now, exp: now + 3600 };
  const jwt = await signJwt({ alg: 'RS256', typ: 'JWT', kid: 'bare' }, claims, privateKey);
  return [200, { access_token: jwt, token_type: 'Bearer', expires_in: 3600 }];
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/oauth/token') return answer(res, 200, {});
    token(req, Buffer.concat(chunks).toString('utf8')).then(
      ([status, body]) => answer(res, status, body),
      () => answer(res, 500, { error: 'server_error' }),
    );
  });
});
server.listen(port, '127.0.0.1');

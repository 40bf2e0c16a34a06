/**
 * @module http/unblock-routes
 *
 * The unblock link of the `user_notification` shield. `GET /unblock?ticket=…` (what a mail
 * client opens, and what link scanners prefetch) only shows a button; `POST /unblock` with
 * `ticket` in the body spends the ticket and removes the block.
 */
import type { FastifyInstance } from 'fastify';
import { redeemUnblockTicket } from '../attack-protection/unblock.js';
import type { Provider } from '../provider/provider.js';
import { requireParam } from '../shared/params.js';
import { bodyParams } from './plugins/body-parsers.js';

const TICKET = /^[A-Za-z0-9_-]{1,128}$/;

function page(ticket: string): string {
  const value = TICKET.test(ticket) ? ticket : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Unblock account</title></head>
<body><form method="post" action="unblock"><input type="hidden" name="ticket" value="${value}">
<button type="submit">Unblock my account</button></form></body></html>`;
}

export function registerUnblockRoutes(app: FastifyInstance, provider: Provider): void {
  app.get('/unblock', async (request, reply) => {
    const ticket = new URLSearchParams(request.url.split('?')[1] ?? '').get('ticket') ?? '';
    return reply.type('text/html; charset=utf-8').send(page(ticket));
  });
  app.post('/unblock', async (request) => {
    await redeemUnblockTicket(provider, requireParam(bodyParams(request.body), 'ticket'));
    return { unblocked: true };
  });
}

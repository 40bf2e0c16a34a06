/**
 * @module http/plugins/request-log
 *
 * One log line per request, written when it completes: method, path, peer, status, time, and
 * for a refused request the OAuth error code and its private detail (never a secret: details
 * are written by our own code). Fastify's separate "incoming request" line is dropped.
 */
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { OAuthError } from '../../errors/oauth-error.js';

const rejections = new WeakMap<FastifyRequest, { error: string; detail?: string }>();

/** Remembers why `request` was refused, for its completion line. */
export function noteRejection(request: FastifyRequest, error: OAuthError): void {
  rejections.set(request, { error: error.error, detail: error.detail });
}

export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = {
      req: request,
      res: reply,
      responseTime: reply.elapsedTime,
      rejected: rejections.get(request),
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

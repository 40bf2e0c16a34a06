/**
 * @module http/plugins/error-handler
 *
 * Turns every error into an OAuth error response. {@link OAuthError}s are sent as they are;
 * fastify's own client errors (body too large, bad content length, unsupported media type, a
 * bad URL…) become `invalid_request`; a data store that cannot answer (locked, full, failing
 * disk) is a logged 503 `temporarily_unavailable` with `Retry-After`; anything else is logged and
 * answered with a generic 500 `server_error`, never a stack trace. Bytes node's HTTP parser refuses get the same body shape.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorKey } from '../../errors/catalogue.js';
import { isOAuthError, OAuthError } from '../../errors/oauth-error.js';
import { storageOutageCode } from '../../storage/storage-errors.js';
import { noteRejection } from './request-log.js';

/** Seconds a client is told to wait when the data store cannot answer. */
const STORAGE_RETRY_AFTER_S = 5;

const FASTIFY_CLIENT_ERRORS: Readonly<Record<string, ErrorKey>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_content_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_body',
  FST_ERR_BAD_URL: 'malformed_url',
  FST_ERR_MAX_PARAM_LENGTH: 'url_too_long',
};

/** The OAuth error for any thrown value. */
export function toOAuthError(err: unknown): OAuthError {
  if (isOAuthError(err)) return err;
  const fastifyError = err as Partial<FastifyError>;
  const code = fastifyError.code;
  const key =
    code && Object.hasOwn(FASTIFY_CLIENT_ERRORS, code) ? FASTIFY_CLIENT_ERRORS[code] : undefined;
  if (key) return new OAuthError(key, { detail: fastifyError.code });
  const outage = storageOutageCode(err);
  if (outage) {
    return new OAuthError('storage_unavailable', {
      detail: outage,
      headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_S) },
    });
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return new OAuthError('malformed_body', { detail: fastifyError.code });
  return new OAuthError('server_error', { detail: String(fastifyError.message) });
}

/** Writes `error` as the response. */
export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(error.toBody());
}

/** Answers `err`, raised while handling `request`, as an OAuth error (500s are logged). */
export function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const error = toOAuthError(err);
  if (error.status === 500 || error.key === 'storage_unavailable')
    request.log.error({ err }, 'request failed');
  else noteRejection(request, error);
  return sendOAuthError(reply, error);
}

/** Node's HTTP parser errors that name a cause the client can fix; anything else is malformed. */
const CLIENT_ERRORS: Readonly<Record<string, ErrorKey>> = {
  HPE_HEADER_OVERFLOW: 'headers_too_large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request_timeout',
};

/**
 * Bytes node's HTTP parser refused, before there was a request to route: the OAuth error body
 * (fastify's default is a JSON body of another shape), then the connection is closed.
 */
export function handleClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const key =
    err.code && Object.hasOwn(CLIENT_ERRORS, err.code) ? CLIENT_ERRORS[err.code] : undefined;
  const error = new OAuthError(key ?? 'malformed_http');
  const body = JSON.stringify(error.toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nPragma: no-cache\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}

/**
 * Sets {@link handleError} for every route declared after this call (fastify gives a route the
 * handler of its moment), so it comes before any plugin that adds routes, such as the CORS
 * preflight. Fastify's own routing errors (a bad URL) reach it through `frameworkErrors`.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
}

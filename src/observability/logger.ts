/**
 * @module observability/logger
 *
 * The logger used everywhere: pino, with request serialisers that never include bodies,
 * query strings or credential headers (TE-14).
 */
import { type Logger as PinoLogger, pino } from 'pino';

/** The subset of pino's API the code uses, so tests can pass a capturing logger. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Paths removed from every log line, should they ever appear. */
export const REDACT_PATHS = [
  'password',
  'client_secret',
  'client_assertion',
  'refresh_token',
  'access_token',
  'id_token',
  'otp',
  'mfa_token',
  'req.headers.authorization',
  'req.headers.dpop',
];

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
}

/** Request lines keep method, path (no query string: it could hold credentials) and peer. */
function serializeRequest(req: LoggedRequest): object {
  return { method: req.method, path: req.url?.split('?')[0], ip: req.ip };
}

/** Responses: the status code only. */
function serializeReply(reply: { statusCode?: number }): object {
  return { statusCode: reply.statusCode };
}

/** A pino logger writing JSON lines to stdout (or `destination`). */
export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): PinoLogger {
  const options = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest, res: serializeReply, err: pino.stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}

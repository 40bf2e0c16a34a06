/**
 * @module http/plugins/body-parsers
 *
 * Body parsing for the OAuth endpoints. Form and JSON bodies become a {@link Params} map of
 * string values; a repeated parameter, a non-string JSON value, a non-UTF-8 charset or any
 * other content type is a 400 `invalid_request` (TE-5, TE-15, TE-16). The map has no
 * prototype to pollute. A key twice in a JSON body is a repeated parameter too (JSON.parse
 * would keep the last one, where a proxy in front may read the first).
 */
import type { FastifyInstance } from 'fastify';
import { OAuthError } from '../../errors/oauth-error.js';
import { findDuplicateKey } from '../../shared/json-syntax.js';
import type { Params } from '../../shared/params.js';

/** Largest body accepted on any route, in bytes. */
export const BODY_LIMIT = 64 * 1024;

/** Parameters that may repeat: RFC 8707 `resource`, and the MFA API's lists. */
const REPEATABLE = new Set(['resource', 'authenticator_types', 'oob_channels']);

function add(params: Map<string, string[]>, name: string, value: string): void {
  const values = params.get(name);
  if (values === undefined) params.set(name, [value]);
  else if (REPEATABLE.has(name)) values.push(value);
  else throw new OAuthError('repeated_parameter', { params: { name } });
}

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseForm(body: string): Params {
  const params = new Map<string, string[]>();
  if (/%(?![0-9A-Fa-f]{2})/.test(body))
    throw new OAuthError('malformed_body', { detail: 'bad percent-encoding' });
  for (const [name, value] of new URLSearchParams(body)) add(params, name, value);
  return params;
}

function jsonValues(name: string, value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && REPEATABLE.has(name) && value.every((v) => typeof v === 'string'))
    return value;
  throw new OAuthError('invalid_parameter_type', { params: { name } });
}

/** Parses an `application/json` body: one object whose values are strings. */
export function parseJson(body: string): Params {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new OAuthError('malformed_body', { detail: 'invalid JSON' });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new OAuthError('malformed_body', { detail: 'JSON body is not an object' });
  }
  const params = new Map<string, string[]>();
  for (const [name, value] of Object.entries(parsed)) {
    if (value === null) continue; // JSON null is "absent", as an empty form value would be
    params.set(name, jsonValues(name, value));
  }
  // only now, with every value a string or a list of strings: the scanner recurses
  const twice = findDuplicateKey(body);
  if (twice !== null) throw new OAuthError('repeated_parameter', { params: { name: twice.key } });
  return params;
}

function checkCharset(contentType: string | undefined): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset))
    throw new OAuthError('unsupported_content_type');
}

const PARSERS: ReadonlyArray<[string, (body: string) => Params]> = [
  ['application/x-www-form-urlencoded', parseForm],
  ['application/json', parseJson],
];

/** Replaces fastify's parsers with ours for every route of `app`. */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const options = { parseAs: 'string' as const, bodyLimit: BODY_LIMIT };
  for (const [contentType, parse] of PARSERS) {
    app.addContentTypeParser(contentType, options, (req, body, done) => {
      try {
        checkCharset(req.headers['content-type']);
        done(null, parse(String(body)));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
  }
  app.addContentTypeParser('*', (_req, _payload, done) =>
    done(new OAuthError('unsupported_content_type'), undefined),
  );
}

/** The parsed body of a request, or an empty map when it had none. */
export function bodyParams(body: unknown): Params {
  return body instanceof Map ? (body as Params) : new Map();
}

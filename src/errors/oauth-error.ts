/**
 * @module errors/oauth-error
 *
 * The one error type of the protocol layer. It carries a catalogue key, the values for the
 * description's placeholders, a private `detail` that goes to logs only, extra body fields
 * (e.g. `mfa_token` later) and extra response headers.
 */
import { ERRORS, type ErrorKey } from './catalogue.js';

/** RFC 6749 §5.2: error_description may only hold %x20-21 / %x23-5B / %x5D-7E. */
const SAFE_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,200}$/;

/**
 * Returns `value` when it is safe to echo inside an error_description (printable ASCII without
 * `"` or `\`, at most 200 characters), otherwise the fixed marker `(invalid value)`.
 */
export function safeEcho(value: string): string {
  return SAFE_TEXT.test(value) ? value : '(invalid value)';
}

export interface OAuthErrorOptions {
  /** Values for `{name}` placeholders in the catalogue description. Echoed only if safe. */
  readonly params?: Readonly<Record<string, string>>;
  /** Private reason for logs; never sent to the client. */
  readonly detail?: string;
  /** Extra JSON body members (e.g. `mfa_token`). */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Extra response headers (e.g. `WWW-Authenticate`, `Retry-After`). */
  readonly headers?: Readonly<Record<string, string>>;
}

export class OAuthError extends Error {
  readonly key: ErrorKey;
  readonly status: number;
  readonly error: string;
  readonly description: string;
  readonly detail: string | undefined;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(key: ErrorKey, options: OAuthErrorOptions = {}) {
    const spec = ERRORS[key];
    const description = spec.description.replace(/\{(\w+)\}/g, (_, name: string) =>
      safeEcho(options.params?.[name] ?? ''),
    );
    // an expected protocol outcome, not a bug: capturing a stack trace for each one is most of
    // the cost of answering a refused request (a flood is answered with these)
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${spec.error}: ${description}`);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'OAuthError';
    this.key = key;
    this.status = spec.status;
    this.error = spec.error;
    this.description = description;
    this.detail = options.detail;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }

  /** The JSON body sent to the client. */
  toBody(): Record<string, unknown> {
    return { error: this.error, error_description: this.description, ...this.extra };
  }
}

/** True when `value` is an {@link OAuthError}. */
export function isOAuthError(value: unknown): value is OAuthError {
  return value instanceof OAuthError;
}

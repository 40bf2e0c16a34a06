/**
 * @module tenant/env-substitution
 *
 * Environment-variable references in tenant-file string values: `${NAME}` is the variable's
 * value, `${NAME:-default}` falls back to `default` when the variable is unset or empty, and
 * `$${` stands for a literal `${`. Only string values are expanded; object keys never are.
 * A default cannot contain `}` and is not itself expanded.
 */
import { formatPath, type PathSegment, TenantFileError } from './tenant-file-error.js';

const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** Values taken from the environment, each with the reference that produced it. */
export type EnvValues = Map<string, string>;

/** Expands the references in one string; `path` names the field in errors. */
export function expandString(
  text: string,
  env: NodeJS.ProcessEnv,
  path: readonly PathSegment[] = [],
  used: EnvValues = new Map(),
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      out += '${';
      i += 3;
    } else if (text.startsWith('${', i)) {
      const close = text.indexOf('}', i + 2);
      if (close < 0) {
        throw new TenantFileError(
          'unterminated "${" (write "$${" for a literal "${")',
          formatPath(path),
        );
      }
      out += resolveReference(text.slice(i + 2, close), env, path, used);
      i = close + 1;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

function resolveReference(
  inner: string,
  env: NodeJS.ProcessEnv,
  path: readonly PathSegment[],
  used: EnvValues,
): string {
  const match = REFERENCE.exec(inner);
  if (!match) {
    // The text is not repeated: a "${" inside a secret or password would print part of it.
    throw new TenantFileError(
      `invalid environment variable reference (write \${NAME} or \${NAME:-default}, or $\${ for a literal \${)`,
      formatPath(path),
    );
  }
  const [, name, fallback] = match;
  const value = env[name!];
  if (fallback !== undefined && (value === undefined || value === '')) return fallback;
  if (value === undefined) {
    throw new TenantFileError(`environment variable ${name} is not set`, formatPath(path));
  }
  used.set(value, `\${${name}}`);
  return value;
}

/** Shortest environment value {@link redactEnvValues} hides (shorter ones match too widely). */
const MIN_REDACTED_LENGTH = 4;

/**
 * The same error with every environment value in its text replaced by its reference: a value
 * may be a secret, and a message such as `got "…"` or `unknown connection "…"` would print it.
 */
export function redactEnvValues(error: TenantFileError, used: EnvValues): TenantFileError {
  let problem = error.problem;
  for (const [value, reference] of used) {
    if (value.length >= MIN_REDACTED_LENGTH) problem = problem.replaceAll(value, reference);
  }
  if (problem === error.problem) return error;
  return new TenantFileError(problem, error.fieldPath, error.source);
}

/**
 * Returns a copy of `document` with every string value expanded. Throws
 * {@link TenantFileError} naming the field path for an unset variable without a default or a
 * malformed reference.
 */
export function substituteEnv(
  document: unknown,
  env: NodeJS.ProcessEnv,
  path: PathSegment[] = [],
  used: EnvValues = new Map(),
): unknown {
  if (typeof document === 'string') return expandString(document, env, path, used);
  if (Array.isArray(document)) {
    return document.map((item, index) => substituteEnv(item, env, [...path, index], used));
  }
  if (isPlainObject(document)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(document)) {
      defineValue(out, key, substituteEnv(value, env, [...path, key], used));
    }
    return out;
  }
  return document;
}

/**
 * The inverse of expansion for export: a copy of `document` in which every `${` inside a
 * string value is written `$${`, so that importing it back yields the same strings.
 */
export function escapeEnvReferences<T>(document: T): T {
  return escapeValue(document) as T;
}

function escapeValue(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('${', () => '$${');
  if (Array.isArray(value)) return value.map(escapeValue);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) defineValue(out, key, escapeValue(item));
    return out;
  }
  return value;
}

/** Sets an own property even for keys such as `__proto__`. */
function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

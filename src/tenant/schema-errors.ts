/**
 * @module tenant/schema-errors
 *
 * Validates a parsed document against a typebox schema and turns the first validation error
 * into a one-line {@link TenantFileError} with a readable field path
 * (`clients[0].grant_type: unknown field`).
 */
import type { TSchema } from 'typebox';
import type { TLocalizedValidationError } from 'typebox/error';
import { Value } from 'typebox/value';
import { clip } from '../shared/text.js';
import { formatPath, type PathSegment, TenantFileError } from './tenant-file-error.js';

interface Located {
  path: PathSegment[];
  value: unknown;
}

/** Follows a JSON pointer through `document`, telling array indices from keys. */
function locate(document: unknown, pointer: string): Located {
  const path: PathSegment[] = [];
  let value = document;
  const tokens = pointer === '' ? [] : pointer.slice(1).split('/');
  for (const raw of tokens) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(value) && /^\d+$/.test(token)) {
      path.push(Number(token));
      value = value[Number(token)];
    } else {
      path.push(token);
      value = isRecord(value) ? value[token] : undefined;
    }
  }
  return { path, value };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The schema node a `schemaPath` such as `#/properties/a/anyOf/0` points at. */
function schemaAt(root: TSchema, schemaPath: string): unknown {
  let node: unknown = root;
  for (const token of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (token === '') continue;
    node = isRecord(node) ? node[token] : undefined;
  }
  return node;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function describeSchema(node: unknown): string {
  if (!isRecord(node)) return 'a valid value';
  if (Array.isArray(node.enum))
    return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (Array.isArray(node.anyOf)) return node.anyOf.map(describeSchema).join(' or ');
  if (typeof node.type === 'string') return node.type;
  return 'a valid value';
}

function problemOf(error: TLocalizedValidationError, value: unknown, root: TSchema): string {
  switch (error.keyword) {
    case 'type':
      return `expected ${describeSchema({ type: error.params.type })}, got ${describeValue(value)}`;
    case 'enum':
    case 'anyOf':
      return `expected ${describeSchema(schemaAt(root, error.schemaPath))}, got ${
        typeof value === 'string' ? JSON.stringify(clip(value, 100)) : describeValue(value)
      }`;
    case 'minLength':
      return error.params.limit === 1
        ? 'must not be empty'
        : `must be at least ${error.params.limit} characters`;
    case 'minimum':
    case 'maximum':
      return `must be ${error.params.comparison} ${error.params.limit}`;
    default:
      return error.message;
  }
}

/** Unknown fields first (they often explain a missing one), then document order. */
function pickError(errors: TLocalizedValidationError[]): TLocalizedValidationError | undefined {
  const relevant = errors.filter(
    (error) => error.keyword !== 'boolean' && !error.schemaPath.includes('/anyOf/'),
  );
  return relevant.find((error) => error.keyword === 'additionalProperties') ?? relevant[0];
}

/**
 * Checks `document` against `schema`; returns the first problem as a {@link TenantFileError}
 * (without a source), or null when the document is valid.
 */
export function schemaError(schema: TSchema, document: unknown): TenantFileError | null {
  const error = pickError(Value.Errors(schema, document));
  if (!error) return null;
  const { path, value } = locate(document, error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const field = error.params.additionalProperties[0] ?? '';
    return new TenantFileError('unknown field', formatPath([...path, field]));
  }
  if (error.keyword === 'required') {
    const field = error.params.requiredProperties[0] ?? '';
    return new TenantFileError('missing required field', formatPath([...path, field]));
  }
  if (path.length === 0) {
    return new TenantFileError(`expected a mapping at the top level, got ${describeValue(value)}`);
  }
  return new TenantFileError(problemOf(error, value, schema), formatPath(path));
}

/**
 * @module tenant/load-tenant-file
 *
 * Reads a tenant file (YAML or JSON, by extension), expands `${VAR}` references, validates it
 * against the schema and the storage-independent rules, and applies defaults. Every problem is
 * a {@link TenantFileError} with a one-line message `<file>: <field path>: <problem>`.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Value } from 'typebox/value';
import { parseDocument } from 'yaml';
import { describeJsonError } from '../shared/json-syntax.js';
import { pathStart, pathTooDeep, TOO_DEEP } from '../shared/nesting-depth.js';
import { substituteEnv } from './env-substitution.js';
import { type TenantFile, TenantFileSchema } from './schema.js';
import { schemaError } from './schema-errors.js';
import { formatPath, TenantFileError } from './tenant-file-error.js';
import { checkTenantRules } from './tenant-rules.js';

export { TenantFileError } from './tenant-file-error.js';

/** The two syntaxes a tenant file may use. */
export type TenantFileFormat = 'yaml' | 'json';

/** The format implied by a file name's extension, or null when it is not supported. */
export function formatForPath(path: string): TenantFileFormat | null {
  const extension = extname(path).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  if (extension === '.json') return 'json';
  return null;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:\s*$/, '');
}

function parseSyntax(text: string, format: TenantFileFormat): unknown {
  if (format === 'json') {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new TenantFileError(`invalid JSON: ${describeJsonError(error, text)}`);
    }
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  // an unknown tag (`!Ref x`, `!secret y`) would otherwise be dropped and its text kept
  const [error] = [
    ...document.errors,
    ...document.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED'),
  ];
  if (error) {
    const [at] = error.pos;
    const hint = text.startsWith('${', at - 1) ? ' (quote values that contain "${")' : '';
    throw new TenantFileError(`invalid YAML: ${firstLine(error.message)}${hint}`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // an alias to no anchor, or too many aliases (a "billion laughs" document)
    throw new TenantFileError(`invalid YAML: ${firstLine((error as Error).message)}`);
  }
}

/** Refuses a document nested deeper than the code that walks it can recurse. */
function checkDepth(document: unknown): void {
  const path = pathTooDeep(document);
  if (path) throw new TenantFileError(TOO_DEEP, formatPath(pathStart(path)));
}

/**
 * Parses, expands, validates and completes a tenant document. An empty document is an empty
 * tenant. Throws {@link TenantFileError} (without a file name).
 */
export function parseTenantDocument(
  text: string,
  format: TenantFileFormat,
  env: NodeJS.ProcessEnv = process.env,
): TenantFile {
  const parsed = parseSyntax(text.replace(/^\uFEFF/, ''), format) ?? {};
  checkDepth(parsed);
  const expanded = substituteEnv(parsed, env);
  const error = schemaError(TenantFileSchema, expanded);
  if (error) throw error;
  const file = Value.Default(TenantFileSchema, expanded) as TenantFile;
  checkTenantRules(file);
  return file;
}

/**
 * Loads the tenant file at `path`; `.yaml`/`.yml` are read as YAML, `.json` as JSON. Throws
 * {@link TenantFileError} whose message starts with `path`.
 */
export async function loadTenantFile(
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<TenantFile> {
  const format = formatForPath(path);
  if (!format) {
    const extension = extname(path) || '(none)';
    throw new TenantFileError(
      `unsupported file extension ${extension} (expected .yaml, .yml or .json)`,
      undefined,
      path,
    );
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new TenantFileError(`cannot read file (${code})`, undefined, path);
  }
  try {
    return parseTenantDocument(text, format, env);
  } catch (error) {
    throw error instanceof TenantFileError ? error.withSource(path) : error;
  }
}

/**
 * @module tenant/load-tenant-file
 *
 * Reads a tenant file (YAML or JSON, by extension), expands `${VAR}` references, validates it
 * against the schema and the storage-independent rules, and applies defaults. Every problem is
 * a {@link TenantFileError} with a one-line message `<file>: <field path>: <problem>`.
 */
import { extname } from 'node:path';
import { Value } from 'typebox/value';
import { parseDocument, type YAMLError } from 'yaml';
import { describeJsonError, duplicateKey } from '../shared/json-syntax.js';
import { pathStart, pathTooDeep, TOO_DEEP } from '../shared/nesting-depth.js';
import { readProblem, readTextCapped } from '../shared/read-capped.js';
import { type EnvValues, redactEnvValues, substituteEnv } from './env-substitution.js';
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
  // YAML 1.1's !!omap, !!set, !!binary, !!timestamp would become Maps, Sets, bytes and dates
  // that pass as empty objects (a guardian policy silently lost): they are unknown tags here
  const document = parseDocument(text, {
    prettyErrors: true,
    uniqueKeys: true,
    resolveKnownTags: false,
  });
  // an unknown tag (`!Ref x`, `!secret y`) would otherwise be dropped and its text kept
  const [error] = [
    ...document.errors,
    ...document.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED'),
  ];
  if (error) {
    const [at] = error.pos;
    const hint = text.startsWith('${', at - 1) ? ' (quote values that contain "${")' : '';
    throw new TenantFileError(`invalid YAML: ${yamlProblem(error)}${hint}`);
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // too many aliases (a "billion laughs" document), or an alias to no anchor, whose name is
    // left out: an unquoted secret starting with "*" reads as one
    const message = firstLine((error as Error).message);
    throw new TenantFileError(
      message.startsWith('Unresolved alias')
        ? 'invalid YAML: an alias names no anchor (quote values that start with "*")'
        : `invalid YAML: ${message}`,
    );
  }
}

/**
 * A YAML error in one line; an unknown tag without its text (an unquoted "!secret" is one), and
 * flow collections nested past what the parser can recurse as the nesting rule they break.
 */
function yamlProblem(error: YAMLError): string {
  const at = error.linePos?.[0];
  const where = at ? ` at line ${at.line}, column ${at.col}` : '';
  if (error.message.startsWith('Maximum call stack size exceeded')) return `${TOO_DEEP}${where}`;
  if (error.code !== 'TAG_RESOLVE_FAILED') return firstLine(error.message);
  return `unknown tag${where} (quote values that start with "!")`;
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
  const clean = text.replace(/^\uFEFF/, '');
  const parsed = parseSyntax(clean, format) ?? {};
  checkDepth(parsed);
  // after the depth check: the scanner recurses. YAML refused duplicate keys while parsing
  const twice = format === 'json' ? duplicateKey(clean) : null;
  if (twice !== null) throw new TenantFileError(`invalid JSON: ${twice}`);
  const used: EnvValues = new Map();
  const expanded = substituteEnv(parsed, env, [], used);
  try {
    const error = schemaError(TenantFileSchema, expanded);
    if (error) throw error;
    const file = Value.Default(TenantFileSchema, expanded) as TenantFile;
    checkTenantRules(file);
    ENV_VALUES.set(file, used);
    return file;
  } catch (error) {
    throw error instanceof TenantFileError ? redactEnvValues(error, used) : error;
  }
}

/** The environment values each loaded file took, so that later errors can hide them too. */
const ENV_VALUES = new WeakMap<TenantFile, EnvValues>();

/** The environment values `file` took (see {@link redactEnvValues}). */
export function envValuesOf(file: TenantFile): EnvValues {
  return ENV_VALUES.get(file) ?? new Map();
}

/**
 * The largest tenant file read: parsing YAML takes ~60 × its size in memory (a 7.4 MB file of
 * 40,000 users: 6.3 s, 437 MB), so a file of hundreds of MB would exhaust the heap and crash
 * instead of answering. Users in bulk belong in a users file (`latchkey users import`).
 */
export const MAX_TENANT_FILE_BYTES = 16 * 1024 * 1024;

async function readTenantText(path: string): Promise<string> {
  try {
    return await readTextCapped(path, MAX_TENANT_FILE_BYTES);
  } catch (error) {
    const hint = 'import users in bulk with `latchkey users import`';
    throw new TenantFileError(readProblem(error, hint), undefined, path);
  }
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
  const text = await readTenantText(path);
  try {
    return parseTenantDocument(text, format, env);
  } catch (error) {
    throw error instanceof TenantFileError ? error.withSource(path) : error;
  }
}

/**
 * @module tenant/tenant-file-error
 *
 * The single error type of tenant-file loading and importing, and the field-path notation
 * (`clients[0].client_authentication_methods`) its messages use.
 */

/** One step of a field path: an object key or an array index. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Renders a field path: indices as `[0]`, identifier keys as `.key` (no leading dot), other
 * keys as `["some key"]`.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Collapses line breaks so every message stays on one line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * A problem with a tenant file. The message is one line:
 * `<source>: <field path>: <problem>`, where the source (the file path) and the field path
 * are left out when unknown.
 */
export class TenantFileError extends Error {
  readonly problem: string;

  /**
   * @param problem what is wrong, e.g. `unknown field`
   * @param fieldPath where, in {@link formatPath} notation, e.g. `clients[0].grant_type`
   * @param source the file the document came from
   */
  constructor(
    problem: string,
    readonly fieldPath?: string,
    readonly source?: string,
  ) {
    const text = oneLine(problem);
    super([source, fieldPath, text].filter((part) => part !== undefined && part !== '').join(': '));
    this.name = 'TenantFileError';
    this.problem = text;
  }

  /** The same error attributed to the file `source`. */
  withSource(source: string): TenantFileError {
    return new TenantFileError(this.problem, this.fieldPath, source);
  }
}

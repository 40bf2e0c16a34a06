/**
 * @module shared/nesting-depth
 *
 * How deeply a parsed document nests. The code that walks a tenant or users file (`${VAR}`
 * expansion, schema checks, metadata copies) recurses, so a file of a few thousand nested `[`
 * would end in "Maximum call stack size exceeded" instead of an error that names the file and
 * the place; the files are measured first, without recursion.
 */

/** Deepest nesting a tenant or users file may have: far beyond the schemas and any metadata. */
export const MAX_NESTING_DEPTH = 64;

/**
 * The path (keys and indexes) of the first value nested deeper than `max` arrays and objects,
 * or undefined when the document stays within `max`.
 */
export function pathTooDeep(
  document: unknown,
  max: number = MAX_NESTING_DEPTH,
): Array<string | number> | undefined {
  const pending: Array<{ value: unknown; path: Array<string | number> }> = [
    { value: document, path: [] },
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= max) return path;
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    for (const [key, child] of entries) pending.push({ value: child, path: [...path, key] });
  }
  return undefined;
}

/** What to say about a document {@link pathTooDeep} refused, with where it goes too deep. */
export const TOO_DEEP = `nested more than ${MAX_NESTING_DEPTH} levels deep`;

/** The first `keep` steps of a path too deep to print whole. */
export function pathStart(path: Array<string | number>, keep = 4): Array<string | number> {
  return path.slice(0, keep);
}

/**
 * @module shared/json-syntax
 *
 * What to say about a file that is not JSON. V8's `JSON.parse` messages for an unexpected token
 * quote the text around it (`Unexpected token 'S', ..."t_secret":SEKRIT-bar"...`), which can be
 * part of a secret or a password, so only the kind of error and where it is are kept.
 *
 * `JSON.parse` also keeps the last of two equal keys in one object without a word, where the
 * YAML reader refuses them: {@link duplicateKey} finds them (with jsonc-parser's scanner), so a
 * JSON file cannot carry a second `grant_types` or `password` that silently wins.
 */
import { visit } from 'jsonc-parser';
import { clip } from './text.js';

/** 1-based line and column of the character at `offset` of `text`. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/** A one-line description of `error`, thrown by `JSON.parse(text)`, that quotes none of `text`. */
export function describeJsonError(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const at = / (?:in|after) JSON at position (\d+)/.exec(message);
  if (at) return `${message.slice(0, at.index)} at ${lineColumn(text, Number(at[1]))}`;
  if (message.startsWith('Unexpected end of JSON input')) return 'unexpected end of the file';
  return 'unexpected character (a value that is not JSON, such as an unquoted string?)';
}

/** A key that appears twice in one object, and where (1-based) its second place is. */
export interface DuplicateKey {
  key: string;
  line: number;
  column: number;
}

/**
 * The first key that appears twice in one object of `text` (JSON that `JSON.parse` accepted),
 * or null when every object's keys are distinct. The scanner recurses: callers check the
 * nesting depth first.
 */
export function findDuplicateKey(text: string): DuplicateKey | null {
  const open: Set<string>[] = [];
  let found: DuplicateKey | null = null;
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (key, _offset, _length, line, column) => {
        const keys = open.at(-1);
        if (found !== null || keys === undefined) return;
        if (keys.has(key)) found = { key, line: line + 1, column: column + 1 };
        keys.add(key);
      },
    },
    { disallowComments: true },
  );
  return found;
}

/** {@link findDuplicateKey} as a one-line problem (the key cut at 100 characters), or null. */
export function duplicateKey(text: string): string | null {
  const found = findDuplicateKey(text);
  if (found === null) return null;
  const { key, line, column } = found;
  return `key ${JSON.stringify(clip(key, 100))} appears twice in one object (line ${line}, column ${column})`;
}

/**
 * @module shared/json-syntax
 *
 * What to say about a file that is not JSON. V8's `JSON.parse` messages for an unexpected token
 * quote the text around it (`Unexpected token 'S', ..."t_secret":SEKRIT-bar"...`), which can be
 * part of a secret or a password, so only the kind of error and where it is are kept.
 */

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

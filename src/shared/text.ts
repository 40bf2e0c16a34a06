/**
 * @module shared/text
 *
 * Text as a message or a log line quotes it: cut, so that a huge value cannot make a huge line.
 */

/** `text` cut at `max` characters, marked `…` when cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * @module dpop/htu
 *
 * RFC 9449 §4.3 item 9: `htu` matches the request URI without query and fragment, compared
 * after syntax- and scheme-based normalisation (RFC 3986 §6.2.2, §6.2.3): the WHATWG URL parser
 * lower-cases scheme and host, drops the default port, resolves dot segments and gives an empty
 * path as `/`. The request URI is always the configured public URL, never the Host header.
 */

/** `value` normalised, without query and fragment; null when it is not an http(s) URL. */
export function normalizedHtu(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return `${url.origin}${url.pathname}`;
}

/** True when the proof's `htu` names `target` (a URL the server built itself). */
export function htuMatches(htu: string, target: string): boolean {
  const normalized = normalizedHtu(htu);
  return normalized !== null && normalized === normalizedHtu(target);
}

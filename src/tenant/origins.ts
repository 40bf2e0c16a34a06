/**
 * @module tenant/origins
 *
 * Web origins of a client (`allowed_origins`, `web_origins`): `scheme://host[:port]` with no
 * user info, path, query or fragment, and no wildcards. They are stored in the URL origin
 * form (lower-case scheme and host, no default port, no trailing slash), so that comparing
 * them with a browser's `Origin` header is plain string equality.
 */

const SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(\/?)$/;

/** Schemes whose URLs have no origin a browser would send. */
const NO_ORIGIN_SCHEMES = new Set(['file:', 'data:', 'blob:', 'javascript:', 'about:']);

/** Why `value` is not an origin, checked on the text as written. */
function shapeProblem(value: string): string | null {
  if (value.includes('*')) return 'wildcards (*) are not supported; list each origin';
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) return 'must be scheme://host[:port]';
  const match = SHAPE.exec(value);
  if (!match) return 'must not have a path, query or fragment (scheme://host[:port] only)';
  const authority = match[2] ?? '';
  if (authority.includes('@')) return 'must not contain user info';
  if (authority === '' || authority.startsWith(':')) return 'must have a host';
  return null;
}

/** The origin of `value`, or the reason it has none. */
function parse(value: string): { origin: string } | { problem: string } {
  const problem = shapeProblem(value);
  if (problem) return { problem };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: 'not a valid origin (bad host or port)' };
  }
  if (NO_ORIGIN_SCHEMES.has(url.protocol))
    return { problem: `${url.protocol} URLs have no origin` };
  if (url.host === '') return { problem: 'must have a host' };
  // Special schemes (http, https, ws, wss, ftp) have a WHATWG origin; for others (e.g.
  // capacitor://localhost) the origin is serialised the same way by hand.
  const origin = url.origin !== 'null' ? url.origin : `${url.protocol}//${url.host.toLowerCase()}`;
  return { origin };
}

/** Why `value` is not an acceptable origin, or null when it is one. */
export function originProblem(value: string): string | null {
  const result = parse(value);
  return 'problem' in result ? result.problem : null;
}

/**
 * The normalised form of an origin, e.g. `HTTP://Example.COM:80/` → `http://example.com`.
 * Throws when `value` is not an origin (check with {@link originProblem} first).
 */
export function normalizeOrigin(value: string): string {
  const result = parse(value);
  if ('problem' in result) throw new Error(`${value}: ${result.problem}`);
  return result.origin;
}

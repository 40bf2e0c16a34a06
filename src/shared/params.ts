/**
 * @module shared/params
 *
 * Request parameters after parsing: each name maps to its values. The body parsers reject
 * repeated parameters (TE-5) except those allowed to repeat, so most names have one value.
 * An empty value counts as absent (RFC 6749 §3.2, TE-3).
 */
import { OAuthError } from '../errors/oauth-error.js';

export type Params = ReadonlyMap<string, readonly string[]>;

/** The value of `name`, or undefined when absent or empty. */
export function optionalParam(params: Params, name: string): string | undefined {
  const value = params.get(name)?.[0];
  return value === undefined || value === '' ? undefined : value;
}

/** The value of `name`; absent or empty → 400 `invalid_request`. */
export function requireParam(params: Params, name: string): string {
  const value = optionalParam(params, name);
  if (value === undefined) throw new OAuthError('missing_parameter', { params: { name } });
  return value;
}

/** Every non-empty value of `name`, without duplicates. */
export function allParams(params: Params, name: string): string[] {
  return [...new Set((params.get(name) ?? []).filter((v) => v !== ''))];
}

/**
 * @module tokens/scopes
 *
 * Scope granting for the password grants, as Auth0 does it (a password exchange is full trust):
 * - no `scope` at all is read as `openid`;
 * - `openid` with no other OIDC scope means every standard OIDC scope
 *   (`openid profile email address phone`);
 * - no API scope asked means every scope of the API; otherwise the asked API scopes;
 * - scopes that are neither OIDC nor the API's are dropped;
 * - `offline_access` only when asked and allowed.
 */
import type { ResourceServer } from '../storage/models.js';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'address', 'phone'] as const;
const OIDC = new Set<string>(OIDC_SCOPES);

/** Splits a scope parameter into distinct values, keeping order. */
export function parseScope(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [...new Set(value.split(' ').filter((s) => s !== ''))];
}

export interface ScopeRequest {
  /** Parsed `scope` parameter (empty when absent). */
  requested: readonly string[];
  api: ResourceServer | null;
  /** Whether `offline_access` may be granted (API allows it and the client may refresh). */
  offlineAccessAllowed: boolean;
}

function grantedOidc(requested: readonly string[]): string[] {
  const asked = requested.length === 0 ? ['openid'] : requested.filter((s) => OIDC.has(s));
  if (asked.length === 1 && asked[0] === 'openid') return [...OIDC_SCOPES];
  return OIDC_SCOPES.filter((s) => asked.includes(s));
}

function grantedApi(requested: readonly string[], api: ResourceServer | null): string[] {
  if (!api) return [];
  const all = api.scopes.map((s) => s.value);
  const asked = all.filter((s) => requested.includes(s));
  return asked.length > 0 ? asked : all;
}

/** The scopes to issue, OIDC scopes first. */
export function grantScopes({ requested, api, offlineAccessAllowed }: ScopeRequest): string[] {
  const granted = [...grantedOidc(requested), ...grantedApi(requested, api)];
  if (offlineAccessAllowed && requested.includes('offline_access')) granted.push('offline_access');
  return granted;
}

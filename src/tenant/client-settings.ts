/**
 * @module tenant/client-settings
 *
 * A client's refresh-token policy and web origins: Auth0's rules on them (a rotating token must
 * expire; the idle lifetime fits in the absolute one; origins are `scheme://host[:port]`) and
 * their stored form (defaults filled in, origins normalised).
 */
import { DEFAULT_REFRESH_TOKEN_POLICY, type RefreshTokenPolicy } from '../storage/models.js';
import { normalizeOrigin, originProblem } from './origins.js';
import type { TenantFileClient, TenantFileRefreshToken } from './schema.js';
import { formatPath, type PathSegment, TenantFileError } from './tenant-file-error.js';

/** The two origin lists of a client. */
export const ORIGIN_FIELDS = ['allowed_origins', 'web_origins'] as const;

/** The stored policy: the file's fields over {@link DEFAULT_REFRESH_TOKEN_POLICY}. */
export function refreshTokenPolicy(
  settings: TenantFileRefreshToken | undefined,
): RefreshTokenPolicy {
  const policy: RefreshTokenPolicy = { ...DEFAULT_REFRESH_TOKEN_POLICY };
  for (const [field, value] of Object.entries(settings ?? {})) {
    if (value !== undefined) Object.assign(policy, { [field]: value });
  }
  return policy;
}

/**
 * Auth0's rules on `clients[index].refresh_token`: `rotating` requires `expiring`, and a finite
 * `idle_token_lifetime` must not exceed a finite `token_lifetime`.
 */
export function checkRefreshToken(client: TenantFileClient, index: number): void {
  if (client.refresh_token === undefined) return;
  const policy = refreshTokenPolicy(client.refresh_token);
  const at = (field: string) => formatPath(['clients', index, 'refresh_token', field]);
  if (policy.rotation_type === 'rotating' && policy.expiration_type !== 'expiring') {
    throw new TenantFileError(
      'must be "expiring" when rotation_type is "rotating"',
      at('expiration_type'),
    );
  }
  const bothFinite = !policy.infinite_token_lifetime && !policy.infinite_idle_token_lifetime;
  if (bothFinite && policy.idle_token_lifetime > policy.token_lifetime) {
    throw new TenantFileError(
      `must not exceed token_lifetime (${policy.token_lifetime}), got ${policy.idle_token_lifetime}`,
      at('idle_token_lifetime'),
    );
  }
}

/** Every origin of the client is an origin, and none is listed twice (once normalised). */
export function checkOrigins(client: TenantFileClient, index: number): void {
  for (const field of ORIGIN_FIELDS) {
    const seen = new Map<string, number>();
    (client[field] ?? []).forEach((value, i) => {
      const path: PathSegment[] = ['clients', index, field, i];
      const problem = originProblem(value);
      if (problem) throw new TenantFileError(problem, formatPath(path));
      const origin = normalizeOrigin(value);
      const first = seen.get(origin);
      if (first !== undefined) {
        const same = formatPath(['clients', index, field, first]);
        throw new TenantFileError(`duplicate origin ${origin} (same as ${same})`, formatPath(path));
      }
      seen.set(origin, i);
    });
  }
}

/** The normalised origins of one list (the list must have passed {@link checkOrigins}). */
export function originsOf(values: readonly string[] | undefined): string[] {
  return (values ?? []).map(normalizeOrigin);
}

/**
 * @module grants/shared/resolve-audience
 *
 * Which API a token is for: `audience`; else `resource` (RFC 8707) when the tenant's
 * `resource_parameter_profile` is `compatibility`; else the tenant's `default_audience`; else
 * none (an opaque token for `/userinfo`). A name that is not a registered API is Auth0's 403
 * "Service not enabled within domain: <audience>".
 */
import { OAuthError } from '../../errors/oauth-error.js';
import { allParams, optionalParam, type Params } from '../../shared/params.js';
import type { ResourceServer, TenantSettings } from '../../storage/models.js';
import type { Storage } from '../../storage/storage.js';

function resourceIndicator(params: Params): string | undefined {
  const values = allParams(params, 'resource');
  if (values.length === 0) return undefined;
  const [value] = values;
  if (values.length > 1 || value === undefined || value.includes('#') || !URL.canParse(value)) {
    throw new OAuthError('invalid_resource');
  }
  return value;
}

/** The audience named by the request or the tenant default, if any. */
export function requestedAudience(params: Params, tenant: TenantSettings): string | undefined {
  return (
    optionalParam(params, 'audience') ??
    (tenant.resource_parameter_profile === 'compatibility'
      ? resourceIndicator(params)
      : undefined) ??
    tenant.default_audience ??
    undefined
  );
}

/** The API the token is for, or null for a userinfo-only token. */
export async function resolveAudience(
  storage: Storage,
  params: Params,
  tenant: TenantSettings,
): Promise<ResourceServer | null> {
  const audience = requestedAudience(params, tenant);
  if (audience === undefined) return null;
  const api = await storage.resourceServers.getByIdentifier(audience);
  if (!api) throw new OAuthError('unknown_audience', { params: { audience } });
  return api;
}

/**
 * @module endpoints/discovery
 *
 * `/.well-known/openid-configuration`: what this server is and supports. Only endpoints that
 * exist are listed (there is no authorization endpoint: the password grants need none).
 */
import { DPOP_ALGORITHMS } from '../dpop/dpop-settings.js';
import type { ProviderUrls } from '../provider/provider.js';
import { OIDC_SCOPES } from '../tokens/scopes.js';

export interface DiscoveryInput {
  urls: ProviderUrls;
  grantTypes: readonly string[];
}

export function discoveryDocument({ urls, grantTypes }: DiscoveryInput): Record<string, unknown> {
  return {
    issuer: urls.issuer,
    token_endpoint: urls.token,
    userinfo_endpoint: urls.userinfo,
    revocation_endpoint: urls.revocation,
    jwks_uri: urls.jwks,
    mfa_challenge_endpoint: new URL('mfa/challenge', urls.issuer).href,
    grant_types_supported: grantTypes,
    response_types_supported: [],
    subject_types_supported: ['public'],
    scopes_supported: [...OIDC_SCOPES],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: [
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'none',
    ],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'PS256'],
    claims_supported: [
      'aud',
      'email',
      'email_verified',
      'exp',
      'family_name',
      'given_name',
      'iat',
      'iss',
      'name',
      'nickname',
      'picture',
      'sub',
      'updated_at',
    ],
    dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS],
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}

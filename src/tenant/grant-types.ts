/**
 * @module tenant/grant-types
 *
 * The values a client's `grant_types` may hold, and Auth0's rules on them. Auth0's Management API
 * refuses an unknown value ("Invalid grant types: passwordless") and `client_credentials` on a
 * public client (`token_endpoint_auth_method: none`), so an Auth0 export never holds either; a
 * typo such as `pasword` would otherwise be stored and turn the grant off without a word.
 */
import { clip } from '../shared/text.js';
import type { TenantFileClient } from './schema.js';
import { formatPath, TenantFileError } from './tenant-file-error.js';

/**
 * Auth0's "Available grant types" (specification-conforming, Auth0 extension and legacy grants),
 * plus the later CIBA, token-exchange and passkey (`webauthn`) grants. Latchkey serves only
 * some of them; the others are kept so that a real export imports unchanged.
 */
export const AUTH0_GRANT_TYPES: ReadonlySet<string> = new Set([
  'implicit',
  'authorization_code',
  'client_credentials',
  'password',
  'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:openid:params:grant-type:ciba',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token',
  'urn:okta:params:oauth:grant-type:webauthn',
  'http://auth0.com/oauth/grant-type/password-realm',
  'http://auth0.com/oauth/grant-type/mfa-oob',
  'http://auth0.com/oauth/grant-type/mfa-otp',
  'http://auth0.com/oauth/grant-type/mfa-recovery-code',
  'http://auth0.com/oauth/grant-type/passwordless/otp',
  'http://auth0.com/oauth/legacy/grant-type/ro',
  'http://auth0.com/oauth/legacy/grant-type/ro/jwt-bearer',
  'http://auth0.com/oauth/legacy/grant-type/delegation/refresh_token',
  'http://auth0.com/oauth/legacy/grant-type/delegation/id_token',
  'http://auth0.com/oauth/legacy/grant-type/access_token',
]);

/** How many unknown values an error names. */
const MAX_LISTED = 10;

/** Grants a public client cannot hold: they authenticate the client alone. */
const CONFIDENTIAL_ONLY = ['client_credentials'];

/**
 * A value as an error message shows it: cut, so that a huge value does not make a huge line,
 * and control characters escaped (a terminal would obey an ANSI escape).
 */
function shown(grantType: string): string {
  return clip(grantType, 100).replace(
    /\p{Cc}/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Throws, as Auth0 does, on an unknown grant type or one the client's method cannot use. */
export function checkGrantTypes(client: TenantFileClient, index: number): void {
  const grantTypes = client.grant_types ?? [];
  const at = formatPath(['clients', index, 'grant_types']);
  const unknown = grantTypes.filter((grantType) => !AUTH0_GRANT_TYPES.has(grantType));
  if (unknown.length > 0) {
    const listed = unknown.slice(0, MAX_LISTED).map(shown).join(', ');
    const more = unknown.length > MAX_LISTED ? ` and ${unknown.length - MAX_LISTED} more` : '';
    throw new TenantFileError(`Invalid grant types: ${listed}${more}`, at);
  }
  if (client.token_endpoint_auth_method === 'none') {
    const refused = grantTypes.filter((grantType) => CONFIDENTIAL_ONLY.includes(grantType));
    if (refused.length > 0) {
      throw new TenantFileError(
        `Invalid grant types: ${refused.join(', ')} (not for a client whose token_endpoint_auth_method is none)`,
        at,
      );
    }
  }
}

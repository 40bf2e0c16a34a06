/**
 * @module client-auth/authenticate-client
 *
 * Client authentication at the token endpoint: parse every credential the request carries,
 * insist on at most one mechanism, find the client, then verify with the mechanism its
 * `token_endpoint_auth_method` calls for. Secret clients may send the secret in the body or
 * with HTTP Basic (Auth0 SDKs use the body). Every failure is Auth0's 401 `access_denied`
 * "Unauthorized"; the reason goes to the log only.
 */
import { OAuthError } from '../errors/oauth-error.js';
import type { TokenRequest } from '../grants/grant-handler.js';
import type { Provider } from '../provider/provider.js';
import { optionalParam } from '../shared/params.js';
import type { Client } from '../storage/models.js';
import { basicAuthFailure, parseBasicAuthorization } from './parsers/basic.js';
import { parseClientAssertion } from './parsers/client-assertion.js';
import { verifyClientAssertion } from './verifiers/private-key-jwt.js';

interface PresentedCredentials {
  clientId: string;
  secret?: string;
  viaBasic: boolean;
  assertion?: string;
}

function presentedCredentials(request: TokenRequest): PresentedCredentials {
  const basic = parseBasicAuthorization(request.headers.authorization);
  const bodySecret = optionalParam(request.params, 'client_secret');
  const assertion = parseClientAssertion(request.params);
  const methods = [basic, bodySecret, assertion].filter((m) => m !== null && m !== undefined);
  if (methods.length > 1) throw new OAuthError('multiple_client_auth');
  const bodyClientId = optionalParam(request.params, 'client_id');
  const authClientId = basic?.clientId ?? assertion?.claimedClientId;
  if (bodyClientId !== undefined && authClientId !== undefined && bodyClientId !== authClientId) {
    throw new OAuthError('client_id_mismatch');
  }
  const clientId = authClientId ?? bodyClientId;
  if (clientId === undefined)
    throw new OAuthError('missing_parameter', { params: { name: 'client_id' } });
  return {
    clientId,
    secret: basic?.clientSecret ?? bodySecret,
    viaBasic: basic !== null,
    assertion: assertion?.jwt,
  };
}

async function verify(
  provider: Provider,
  client: Client,
  presented: PresentedCredentials,
): Promise<string | null> {
  switch (client.token_endpoint_auth_method) {
    case 'none':
      return presented.secret !== undefined || presented.assertion !== undefined
        ? 'public client sent credentials'
        : null;
    case 'private_key_jwt':
      if (presented.assertion === undefined) return 'client requires private_key_jwt';
      await verifyClientAssertion(provider, client, presented.assertion);
      return null;
    default:
      if (presented.secret === undefined) return 'client secret missing';
      return (await provider.clientSecrets.verify(client, presented.secret))
        ? null
        : 'wrong client secret';
  }
}

async function verifiedClient(
  provider: Provider,
  presented: PresentedCredentials,
): Promise<Client> {
  const client = await provider.storage.clients.get(presented.clientId);
  const failure = client ? await verify(provider, client, presented) : 'unknown client';
  if (failure === null && client) return client;
  const detail = `${failure}: ${presented.clientId}`;
  throw presented.viaBasic
    ? basicAuthFailure(detail)
    : new OAuthError('client_unauthorized', { detail });
}

/**
 * The authenticated client, or a thrown 401 `access_denied`; 429 `too_many_attempts` while the
 * caller's failures for this `client_id` are throttled (`failure-throttle.ts`).
 */
export async function authenticateClient(
  provider: Provider,
  request: TokenRequest,
): Promise<Client> {
  const presented = presentedCredentials(request);
  const throttle = provider.clientAuthFailures;
  const now = provider.clock.now();
  throttle.check(presented.clientId, request.ip, now);
  try {
    const client = await verifiedClient(provider, presented);
    throttle.succeeded(presented.clientId, request.ip);
    return client;
  } catch (err) {
    // a failed authentication is a 401; a full hash queue (503) says nothing about the secret
    if (err instanceof OAuthError && err.status === 401) {
      throttle.failed(presented.clientId, request.ip, now);
    }
    throw err;
  }
}

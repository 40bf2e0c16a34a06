/**
 * @module client-auth/verifiers/private-key-jwt
 *
 * Verifies a `private_key_jwt` client assertion (Auth0 rules): signed by one of the client's
 * registered public keys with that key's algorithm (RS256, RS384 or PS256); `iss` = `sub` =
 * client id; `aud` = the issuer (with trailing slash) or the token endpoint; `exp` required and
 * at most 5 minutes after `iat` (or now); `jti` required, at most 64 characters and accepted
 * once only (an atomic claim in the replay store).
 */
import { createPublicKey } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { OAuthError } from '../../errors/oauth-error.js';
import type { Provider } from '../../provider/provider.js';
import { epochSeconds } from '../../shared/clock.js';
import type { Client, ClientCredential } from '../../storage/models.js';

const CLOCK_TOLERANCE_S = 10;
const MAX_LIFETIME_S = 300;
const MAX_CLAIM_LENGTH = 64;

function unauthorized(detail: string): OAuthError {
  return new OAuthError('client_unauthorized', { detail });
}

function candidateCredentials(client: Client, jwt: string): ClientCredential[] {
  const credentials = client.client_authentication_methods?.private_key_jwt.credentials ?? [];
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(jwt).kid;
  } catch {
    throw unauthorized('client_assertion header is not decodable');
  }
  return kid === undefined ? credentials : credentials.filter((c) => c.id === kid);
}

async function verifyWithAny(provider: Provider, client: Client, jwt: string) {
  for (const credential of candidateCredentials(client, jwt)) {
    try {
      return await jwtVerify(jwt, createPublicKey(credential.pem), {
        algorithms: [credential.alg],
        issuer: client.client_id,
        subject: client.client_id,
        audience: [provider.urls.issuer, provider.urls.token],
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(provider.clock.now()),
        requiredClaims: ['exp', 'jti'],
      });
    } catch {
      // try the next registered key
    }
  }
  throw unauthorized('client_assertion not verified by any registered key');
}

/** Throws 401 `access_denied` unless the assertion authenticates `client`. */
export async function verifyClientAssertion(
  provider: Provider,
  client: Client,
  jwt: string,
): Promise<void> {
  const { payload } = await verifyWithAny(provider, client, jwt);
  const now = epochSeconds(provider.clock);
  const exp = Number(payload.exp);
  const jti = String(payload.jti);
  if (exp - (typeof payload.iat === 'number' ? payload.iat : now) > MAX_LIFETIME_S) {
    throw unauthorized('client_assertion lifetime exceeds 5 minutes');
  }
  if (jti.length > MAX_CLAIM_LENGTH || client.client_id.length > MAX_CLAIM_LENGTH) {
    throw unauthorized('client_assertion jti, iss or sub longer than 64 characters');
  }
  const key = `client_assertion:${client.client_id}:${jti}`;
  if (!(await provider.storage.replay.claim(key, exp + CLOCK_TOLERANCE_S, now))) {
    throw unauthorized('client_assertion jti already used');
  }
}

/**
 * @module endpoints/revocation
 *
 * `POST /oauth/revoke` (RFC 7009): an authenticated client revokes one of its refresh tokens,
 * and with it the token's whole family. As in Auth0 and RFC 7009 §2.2, the answer is 200 with an
 * empty body whether or not the token was known, so the endpoint tells nothing about tokens.
 */
import { authenticateClient } from '../client-auth/authenticate-client.js';
import { audit } from '../events/audit.js';
import type { TokenRequest } from '../grants/grant-handler.js';
import type { Provider } from '../provider/provider.js';
import { sha256 } from '../shared/crypto.js';
import { requireParam } from '../shared/params.js';

export async function revokeToken(provider: Provider, request: TokenRequest): Promise<void> {
  const client = await authenticateClient(provider, request);
  const token = requireParam(request.params, 'token');
  const record = await provider.storage.refreshTokens.get(sha256(token));
  if (record === null || record.client_id !== client.client_id) {
    provider.logger.info({ client_id: client.client_id }, 'revocation of an unknown token ignored');
    return;
  }
  const revoked = await provider.storage.refreshTokens.revokeFamily(record.family_id);
  audit(provider, {
    type: 'srrt',
    description: `Refresh token revoked (family of ${revoked} tokens)`,
    client_id: client.client_id,
    user_id: record.user_id,
    ip: request.ip,
  });
}

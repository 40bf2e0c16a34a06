/**
 * @module endpoints/mfa/authenticators
 *
 * `GET /mfa/authenticators` lists the caller's authenticators (active or not);
 * `DELETE /mfa/authenticators/{id}` removes one. With an `mfa_token` — which proves only the
 * password — an active authenticator cannot be removed: that would let a stolen password
 * replace the second factor. Pending (inactive) enrolments can be; active ones are reset by
 * an administrator (`latchkey users mfa reset`).
 */
import { OAuthError } from '../../errors/oauth-error.js';
import { audit } from '../../events/audit.js';
import { type AuthenticatorView, authenticatorView } from '../../mfa/authenticators.js';
import type { Provider } from '../../provider/provider.js';
import { mfaCaller } from './mfa-bearer.js';

export async function listAuthenticators(
  provider: Provider,
  authorization: string | string[] | undefined,
): Promise<AuthenticatorView[]> {
  const { user } = await mfaCaller(provider, authorization);
  return (await provider.storage.authenticators.listByUser(user.user_id)).map(authenticatorView);
}

export async function deleteAuthenticator(
  provider: Provider,
  authorization: string | string[] | undefined,
  id: string,
): Promise<void> {
  const { user } = await mfaCaller(provider, authorization);
  const authenticator = await provider.storage.authenticators.get(id);
  if (!authenticator || authenticator.user_id !== user.user_id)
    throw new OAuthError('authenticator_not_found');
  if (authenticator.active) throw new OAuthError('active_authenticator_removal');
  await provider.storage.authenticators.delete(id);
  audit(provider, {
    type: 'gd_unenroll',
    description: `Authenticator ${authenticator.type} removed`,
    user_id: user.user_id,
  });
}

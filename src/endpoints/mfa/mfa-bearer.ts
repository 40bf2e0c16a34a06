/**
 * @module endpoints/mfa/mfa-bearer
 *
 * The MFA API is called with the `mfa_token` as a bearer token (Auth0 also accepts access
 * tokens for `https://{domain}/mfa/`; Latchkey does not issue those).
 */

import { presentedToken } from '../../dpop/resource-proof.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { type RedeemedMfaToken, redeemMfaToken } from '../../mfa/mfa-token.js';
import type { Provider } from '../../provider/provider.js';
import { sha256 } from '../../shared/crypto.js';

/** The token of an `Authorization: Bearer <token>` header. */
function bearerToken(header: string | string[] | undefined): string {
  const presented = presentedToken(header);
  if (presented?.scheme !== 'bearer') {
    throw new OAuthError('invalid_token', {
      detail: 'no bearer token',
      headers: { 'WWW-Authenticate': 'Bearer realm="latchkey"' },
    });
  }
  return presented.token;
}

export interface MfaCaller extends RedeemedMfaToken {
  tokenHash: string;
}

/** The user behind the `Authorization: Bearer <mfa_token>` header. */
export async function mfaCaller(
  provider: Provider,
  authorization: string | string[] | undefined,
): Promise<MfaCaller> {
  const token = bearerToken(authorization);
  const redeemed = await redeemMfaToken(provider, token, { checkKey: false });
  return { ...redeemed, tokenHash: sha256(token) };
}

/**
 * @module endpoints/mfa/mfa-bearer
 *
 * The MFA API is called with the `mfa_token` as a bearer token (Auth0 also accepts access
 * tokens for `https://{domain}/mfa/`; Latchkey does not issue those).
 */

import { type RedeemedMfaToken, redeemMfaToken } from '../../mfa/mfa-token.js';
import type { Provider } from '../../provider/provider.js';
import { sha256 } from '../../shared/crypto.js';
import { bearerToken } from '../userinfo.js';

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

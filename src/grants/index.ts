/**
 * @module grants
 *
 * The built-in grants, in the order the registry lists them.
 */
import { clientCredentialsGrant } from './client-credentials/client-credentials.grant.js';
import type { GrantHandler } from './grant-handler.js';
import { mfaOobGrant } from './mfa-oob/mfa-oob.grant.js';
import { mfaOtpGrant } from './mfa-otp/mfa-otp.grant.js';
import { mfaRecoveryCodeGrant } from './mfa-recovery-code/mfa-recovery-code.grant.js';
import { passwordGrant } from './password/password.grant.js';
import { passwordRealmGrant } from './password-realm/password-realm.grant.js';
import { refreshTokenGrant } from './refresh-token/refresh-token.grant.js';

export const builtInGrants: ReadonlyArray<GrantHandler<unknown>> = [
  passwordGrant,
  passwordRealmGrant,
  refreshTokenGrant,
  clientCredentialsGrant,
  mfaOtpGrant,
  mfaOobGrant,
  mfaRecoveryCodeGrant,
];

/**
 * @module endpoints/mfa/associate
 *
 * `POST /mfa/associate` (bearer `mfa_token`): enrols an authenticator — `otp` (a TOTP secret
 * and its `otpauth://` URI) or `oob` over `email` (a code is emailed at once). Allowed only
 * while the user has no active authenticator; earlier unfinished enrolments are replaced.
 * The first enrolment also returns a recovery code when that factor is enabled. Nothing is
 * active until the first successful MFA grant.
 */
import { canonicalIp } from '../../attack-protection/ip-address.js';
import { refuseBlockedUserFrom } from '../../attack-protection/login-guard.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { audit } from '../../events/audit.js';
import type { TokenRequest } from '../../grants/grant-handler.js';
import { activeAuthenticators, newAuthenticator } from '../../mfa/authenticators.js';
import { sendEmailCode } from '../../mfa/email-codes.js';
import { factorEnabled } from '../../mfa/policy.js';
import { hashRecoveryCode, newRecoveryCode } from '../../mfa/recovery-codes.js';
import { seal } from '../../mfa/sealed-secret.js';
import { newTotpSecret, totpUri } from '../../mfa/totp.js';
import type { Provider } from '../../provider/provider.js';
import { allParams, optionalParam } from '../../shared/params.js';
import type { GuardianFactorName, GuardianSettings, User } from '../../storage/models.js';
import { type MfaCaller, mfaCaller } from './mfa-bearer.js';

type Enrolment = Record<string, unknown>;

/** `otp` or `email`, from `authenticator_types` and `oob_channels`. */
function requestedFactor(request: TokenRequest): GuardianFactorName {
  const types = allParams(request.params, 'authenticator_types');
  const channels = allParams(request.params, 'oob_channels');
  if (types.length === 1 && types[0] === 'otp' && channels.length === 0) return 'otp';
  if (types.length === 1 && types[0] === 'oob' && channels.length === 1 && channels[0] === 'email')
    return 'email';
  throw new OAuthError('unsupported_authenticator_type');
}

async function enrolOtp(provider: Provider, user: User): Promise<Enrolment> {
  const secret = newTotpSecret();
  await provider.storage.authenticators.insert(
    newAuthenticator(provider, user.user_id, 'otp', {
      otp_secret_sealed: seal(secret, provider.secrets.encryptionKey),
    }),
  );
  const tenant = await provider.storage.tenant.get();
  const account = user.email ?? user.username ?? user.user_id;
  return {
    authenticator_type: 'otp',
    secret,
    barcode_uri: totpUri(secret, tenant.friendly_name, account),
  };
}

/** Longest email address accepted (RFC 5321's path limit). */
const MAX_EMAIL_LENGTH = 254;

/**
 * `local@domain.tld`: one `@`, no white space, a dot inside the domain, at most
 * {@link MAX_EMAIL_LENGTH} characters. Checked in one pass: a backtracking pattern took seconds
 * of the event loop on a long crafted address.
 */
function isEmailAddress(value: string): boolean {
  if (value.length > MAX_EMAIL_LENGTH || /\s/.test(value)) return false;
  const at = value.indexOf('@');
  if (at < 1 || at !== value.lastIndexOf('@')) return false;
  return value.slice(at + 2, -1).includes('.');
}

async function enrolEmail(
  provider: Provider,
  caller: MfaCaller,
  request: TokenRequest,
): Promise<Enrolment> {
  const email = optionalParam(request.params, 'email') ?? caller.user.email;
  if (email === undefined || email === null)
    throw new OAuthError('missing_parameter', { params: { name: 'email' } });
  if (!isEmailAddress(email)) throw new OAuthError('invalid_email');
  const authenticator = newAuthenticator(provider, caller.user.user_id, 'email', { email });
  await provider.storage.authenticators.insert(authenticator);
  const oobCode = await sendEmailCode(provider, caller.tokenHash, authenticator);
  return {
    authenticator_type: 'oob',
    binding_method: 'prompt',
    oob_channel: 'email',
    oob_code: oobCode,
  };
}

/** A new (inactive) recovery code when the factor is on; it activates with the enrolment. */
async function recoveryCodes(
  provider: Provider,
  settings: GuardianSettings,
  userId: string,
): Promise<string[] | undefined> {
  if (!factorEnabled(settings, 'recovery-code')) return undefined;
  const code = newRecoveryCode();
  await provider.storage.authenticators.insert(
    newAuthenticator(provider, userId, 'recovery-code', {
      recovery_code_hash: hashRecoveryCode(code),
    }),
  );
  return [code];
}

export async function associate(provider: Provider, request: TokenRequest): Promise<Enrolment> {
  const caller = await mfaCaller(provider, request.headers.authorization);
  await refuseBlockedUserFrom(provider, caller.user, canonicalIp(request.ip) ?? request.ip);
  const userId = caller.user.user_id;
  if ((await activeAuthenticators(provider, userId)).length > 0)
    throw new OAuthError('mfa_already_enrolled');
  const factor = requestedFactor(request);
  const settings = await provider.storage.guardian.get();
  if (!factorEnabled(settings, factor))
    throw new OAuthError('factor_not_enabled', { params: { factor } });
  await provider.storage.authenticators.deleteInactive(userId);
  const enrolment =
    factor === 'otp'
      ? await enrolOtp(provider, caller.user)
      : await enrolEmail(provider, caller, request);
  const codes = await recoveryCodes(provider, settings, userId);
  audit(provider, {
    type: 'gd_start_enroll',
    description: `Enrolment of ${factor} started`,
    user_id: userId,
  });
  return codes ? { ...enrolment, recovery_codes: codes } : enrolment;
}

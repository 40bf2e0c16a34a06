/**
 * @module mfa/email-codes
 *
 * Email one-time codes: a 6-digit `binding_code` is mailed to the authenticator's address,
 * valid 5 minutes; the client gets an opaque `oob_code` naming that challenge and redeems
 * both with the `mfa-oob` grant. Both are stored as SHA-256; a challenge is used once. At
 * most 10 codes are sent to a user per hour (counted until an hour after the last one), so a
 * stolen password cannot flood the user's mailbox.
 */
import { randomInt } from 'node:crypto';
import { OAuthError } from '../errors/oauth-error.js';
import { audit } from '../events/audit.js';
import type { Provider } from '../provider/provider.js';
import { epochSeconds } from '../shared/clock.js';
import { randomToken, sha256 } from '../shared/crypto.js';
import type { MfaAuthenticator } from '../storage/models.js';

/** Validity of an emailed code, in seconds. */
export const EMAIL_CODE_LIFETIME_S = 300;
/** Codes sent to one user within an hour of the previous one. */
export const EMAILS_PER_HOUR = 10;
const HOUR_S = 3600;

async function countSend(provider: Provider, userId: string): Promise<void> {
  const now = epochSeconds(provider.clock);
  const sent = await provider.storage.counters.increment(
    `mfa_email:${userId}`,
    1,
    now + HOUR_S,
    now,
  );
  if (sent > EMAILS_PER_HOUR)
    throw new OAuthError('mfa_too_many_emails', {
      headers: { 'Retry-After': String(HOUR_S) },
    });
}

function sixDigits(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

/** Emails a new code for `authenticator` under the `mfa_token` `mfaTokenHash`; returns the oob_code. */
export async function sendEmailCode(
  provider: Provider,
  mfaTokenHash: string,
  authenticator: MfaAuthenticator,
): Promise<string> {
  await countSend(provider, authenticator.user_id);
  const oobCode = randomToken(24);
  const bindingCode = sixDigits();
  await provider.storage.oobChallenges.insert({
    oob_code_hash: sha256(oobCode),
    mfa_token_hash: mfaTokenHash,
    authenticator_id: authenticator.id,
    binding_code_hash: sha256(bindingCode),
    expires_at: epochSeconds(provider.clock) + EMAIL_CODE_LIFETIME_S,
    consumed: false,
  });
  const tenant = await provider.storage.tenant.get();
  await provider.mailer.send({
    to: authenticator.email ?? '',
    subject: `${tenant.friendly_name} verification code`,
    text:
      `Your ${tenant.friendly_name} verification code is ${bindingCode}.\n` +
      `It expires in ${EMAIL_CODE_LIFETIME_S / 60} minutes. If you did not try to sign in, ` +
      'change your password.\n',
  });
  audit(provider, {
    type: 'gd_send_email',
    description: `Verification code sent (${provider.mailer.kind})`,
    user_id: authenticator.user_id,
  });
  return oobCode;
}

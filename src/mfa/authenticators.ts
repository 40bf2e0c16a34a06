/**
 * @module mfa/authenticators
 *
 * Making authenticators and showing them as Auth0's MFA API does. Ids follow Auth0:
 * `totp|dev_…`, `email|dev_…`, `recovery-code|dev_…`. A new authenticator is inactive until
 * its first successful verification.
 */
import type { Provider } from '../provider/provider.js';
import { randomAlphanumeric } from '../shared/crypto.js';
import type { GuardianFactorName, MfaAuthenticator } from '../storage/models.js';

const ID_PREFIX: Record<GuardianFactorName, string> = {
  otp: 'totp',
  email: 'email',
  'recovery-code': 'recovery-code',
};

/** A new, inactive authenticator record of `type` for `userId`. */
export function newAuthenticator(
  provider: Provider,
  userId: string,
  type: GuardianFactorName,
  fields: Partial<Pick<MfaAuthenticator, 'otp_secret_sealed' | 'email' | 'recovery_code_hash'>>,
): MfaAuthenticator {
  return {
    id: `${ID_PREFIX[type]}|dev_${randomAlphanumeric(16)}`,
    user_id: userId,
    type,
    active: false,
    otp_secret_sealed: fields.otp_secret_sealed ?? null,
    email: fields.email ?? null,
    recovery_code_hash: fields.recovery_code_hash ?? null,
    created_at: new Date(provider.clock.now()).toISOString(),
  };
}

/** `alice@example.com` → `al***@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

/** An element of `GET /mfa/authenticators`. */
export interface AuthenticatorView {
  id: string;
  authenticator_type: 'otp' | 'oob' | 'recovery-code';
  active: boolean;
  oob_channel?: 'email';
  name?: string;
  created_at: string;
}

export function authenticatorView(a: MfaAuthenticator): AuthenticatorView {
  const base = { id: a.id, active: a.active, created_at: a.created_at };
  if (a.type === 'email')
    return {
      ...base,
      authenticator_type: 'oob',
      oob_channel: 'email',
      name: maskEmail(a.email ?? ''),
    };
  return { ...base, authenticator_type: a.type };
}

/** The user's active authenticators, optionally of one type. */
export async function activeAuthenticators(
  provider: Provider,
  userId: string,
): Promise<MfaAuthenticator[]> {
  return (await provider.storage.authenticators.listByUser(userId)).filter((a) => a.active);
}

/**
 * Marks `authenticator` active after its first successful verification, together with the
 * recovery code made at the same enrolment.
 */
export async function activateEnrolment(
  provider: Provider,
  authenticator: MfaAuthenticator,
): Promise<void> {
  if (authenticator.active) return;
  const store = provider.storage.authenticators;
  await store.activate(authenticator.id);
  for (const other of await store.listByUser(authenticator.user_id)) {
    if (other.type === 'recovery-code' && !other.active) await store.activate(other.id);
  }
}

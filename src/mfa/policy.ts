/**
 * @module mfa/policy
 *
 * Whether a login needs MFA, and which factors are on. The most specific setting wins:
 * the user's `app_metadata.mfa_required` (true or false), then the connection's
 * `options.mfa` (`active: false` never asks, `required: true` always asks), then the tenant's
 * Guardian policy (`["all-applications"]` asks, `[]` never does).
 */
import type { Connection, GuardianFactorName, GuardianSettings, User } from '../storage/models.js';

/** True when a password login of `user` through `connection` must be completed with MFA. */
export function mfaApplies(
  settings: GuardianSettings,
  connection: Connection,
  user: User,
): boolean {
  const flag = user.app_metadata.mfa_required;
  if (typeof flag === 'boolean') return flag;
  const override = connection.options.mfa;
  if (override?.active === false) return false;
  if (override?.required === true) return true;
  return settings.policies.includes('all-applications');
}

/** True when the tenant enables `factor`. */
export function factorEnabled(settings: GuardianSettings, factor: GuardianFactorName): boolean {
  return settings.factors.some((f) => f.name === factor && f.enabled);
}

/**
 * @module attack-protection/settings
 *
 * Attack-protection settings and their defaults. Auth0's objects (`brute_force_protection`,
 * `suspicious_ip_throttling`) keep Auth0's names and defaults; `account_throttling` and
 * `same_user_ip_limit` are ours (the second mirrors Auth0's fixed platform limit).
 */
import type { Static } from 'typebox';
import type { AttackProtectionSettings } from '../storage/models.js';
import type { Storage } from '../storage/storage.js';
import type { AttackProtectionSchema } from './settings-schema.js';

/** How long a block lasts after the last failure (Auth0: 30 days), in seconds. */
export const BLOCK_SECONDS = 30 * 24 * 3600;

export const DEFAULT_ATTACK_PROTECTION: Readonly<AttackProtectionSettings> = {
  brute_force_protection: {
    enabled: true,
    max_attempts: 10,
    mode: 'count_per_identifier_and_ip',
    shields: ['block', 'user_notification'],
    allowlist: [],
  },
  suspicious_ip_throttling: {
    enabled: true,
    shields: ['block', 'admin_notification'],
    allowlist: [],
    stage: { 'pre-login': { max_attempts: 100, rate: 864_000 } },
  },
  account_throttling: {
    enabled: true,
    threshold: 20,
    initial_delay: 1_000,
    max_delay: 3_600_000,
  },
  same_user_ip_limit: { enabled: true, max_attempts: 20, rate: 6_000 },
};

/** A settings patch as the tenant file gives it: any section, any field. */
export type AttackProtectionPatch = Static<typeof AttackProtectionSchema>;

/** `base` with the fields `patch` gives replaced (section by section, field by field). */
export function mergeSettings(
  base: AttackProtectionSettings,
  patch: AttackProtectionPatch,
): AttackProtectionSettings {
  const stage = patch.suspicious_ip_throttling?.stage?.['pre-login'];
  return {
    brute_force_protection: { ...base.brute_force_protection, ...patch.brute_force_protection },
    suspicious_ip_throttling: {
      ...base.suspicious_ip_throttling,
      ...patch.suspicious_ip_throttling,
      stage: {
        'pre-login': { ...base.suspicious_ip_throttling.stage['pre-login'], ...stage },
      },
    },
    account_throttling: { ...base.account_throttling, ...patch.account_throttling },
    same_user_ip_limit: { ...base.same_user_ip_limit, ...patch.same_user_ip_limit },
  };
}

/** The stored settings, or the defaults when none were stored. */
export async function loadSettings(storage: Storage): Promise<AttackProtectionSettings> {
  return (await storage.attackSettings.get()) ?? structuredClone(DEFAULT_ATTACK_PROTECTION);
}

/**
 * Delay (ms) before the account admits another attempt after `failures` consecutive failures:
 * none below the threshold, then `initial_delay` doubling per failure, capped at `max_delay`.
 */
export function accountDelay(
  settings: AttackProtectionSettings['account_throttling'],
  failures: number,
): number {
  if (failures < settings.threshold) return 0;
  const doublings = Math.min(failures - settings.threshold, 40);
  return Math.min(settings.initial_delay * 2 ** doublings, settings.max_delay);
}

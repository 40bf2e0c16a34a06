/**
 * @module tenant/guardian
 *
 * The tenant file's `guardian` section to and from stored {@link GuardianSettings}. A file
 * section replaces the stored settings whole; missing lists are empty (no policy, no factor).
 */
import type { GuardianSettings } from '../storage/models.js';
import type { TenantFileGuardian } from './schema.js';

export function guardianSettings(section: TenantFileGuardian): GuardianSettings {
  return {
    policies: [...(section.policies ?? [])],
    factors: (section.factors ?? []).map((f) => ({ name: f.name, enabled: f.enabled })),
  };
}

export function exportGuardian(settings: GuardianSettings): TenantFileGuardian {
  return {
    policies: [...settings.policies],
    factors: settings.factors.map((f) => ({ name: f.name, enabled: f.enabled })),
  };
}

/**
 * @module attack-protection/tenant-settings
 *
 * The tenant file's `attack_protection`: its rules (allowlist entries are IPs or CIDRs, the
 * account delays are ordered) and how an import applies it (merged into the stored settings).
 */
import type { Storage } from '../storage/storage.js';
import { formatPath, TenantFileError } from '../tenant/tenant-file-error.js';
import { isIpOrCidr } from './ip-address.js';
import { type AttackProtectionPatch, loadSettings, mergeSettings } from './settings.js';

function checkAllowlist(list: readonly string[] | undefined, section: string): void {
  list?.forEach((entry, i) => {
    if (!isIpOrCidr(entry)) {
      throw new TenantFileError(
        'must be an IPv4 or IPv6 address or CIDR range',
        formatPath(['attack_protection', section, 'allowlist', i]),
      );
    }
  });
}

/** Throws {@link TenantFileError} when `patch` breaks a rule the schema cannot express. */
export function checkAttackProtection(patch: AttackProtectionPatch | undefined): void {
  if (!patch) return;
  checkAllowlist(patch.brute_force_protection?.allowlist, 'brute_force_protection');
  checkAllowlist(patch.suspicious_ip_throttling?.allowlist, 'suspicious_ip_throttling');
  const account = patch.account_throttling;
  if (account?.initial_delay !== undefined && account.max_delay !== undefined) {
    if (account.initial_delay > account.max_delay) {
      throw new TenantFileError(
        'must not be greater than max_delay',
        formatPath(['attack_protection', 'account_throttling', 'initial_delay']),
      );
    }
  }
}

/** Merges `patch` into the settings stored in `tx`. */
export async function applyAttackProtection(
  tx: Storage,
  patch: AttackProtectionPatch | undefined,
): Promise<void> {
  if (!patch) return;
  await tx.attackSettings.put(mergeSettings(await loadSettings(tx), patch));
}

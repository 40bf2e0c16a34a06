/**
 * @module attack-protection/ip-throttling
 *
 * Per-IP suspicious-IP throttling (Auth0 `suspicious_ip_throttling`, `pre-login` stage): a
 * bucket of failed logins per IP. An attempt takes one before any hash work and gives it back
 * when the password was right, so only failures drain the bucket. And the same-user limit:
 * a bucket per (account, IP) drained by every attempt, right or wrong.
 */
import type { AttackProtectionSettings } from '../storage/models.js';
import type { Hold } from './hold.js';
import { IpAllowlist } from './ip-address.js';
import { type AttemptScope, protectionEvent, rateLimited } from './rejections.js';

const NO_HOLD = null;

/** Takes one failed-login allowance from the IP's bucket; throws 429 when it is empty. */
export async function throttleIp(
  scope: AttemptScope,
  settings: AttackProtectionSettings['suspicious_ip_throttling'],
): Promise<Hold | null> {
  if (!settings.enabled || IpAllowlist.of(settings.allowlist).has(scope.ip)) return NO_HOLD;
  const { storage, clock } = scope.ctx.provider;
  const { max_attempts: burst, rate } = settings.stage['pre-login'];
  const key = `ip:${scope.ip}`;
  const now = clock.now();
  const bucket = await storage.rateBuckets.take(key, burst, rate, now);
  if (!bucket.allowed) {
    const blocking = settings.shields.includes('block');
    protectionEvent(scope, 'limit_mu', 'Too many failed logins from this IP', {
      blocked: blocking,
    });
    if (blocking) throw rateLimited('suspicious_ip_throttled', burst, bucket.nextAt, now);
    return NO_HOLD;
  }
  const giveBack = () => storage.rateBuckets.giveBack(key, rate, clock.now());
  return { success: giveBack, failure: async () => {}, release: giveBack };
}

/** Counts every attempt of one account from one IP; throws 429 over the limit. */
export async function limitSameUser(
  scope: AttemptScope,
  settings: AttackProtectionSettings['same_user_ip_limit'],
): Promise<void> {
  if (!settings.enabled) return;
  const { storage, clock } = scope.ctx.provider;
  const now = clock.now();
  const key = `sul:${scope.subject}:${scope.ip}`;
  const bucket = await storage.rateBuckets.take(key, settings.max_attempts, settings.rate, now);
  if (bucket.allowed) return;
  protectionEvent(scope, 'limit_sul', 'Too many logins for this user from this IP');
  throw rateLimited('login_rate_limited', settings.max_attempts, bucket.nextAt, now);
}

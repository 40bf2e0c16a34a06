/**
 * @module attack-protection/brute-force
 *
 * Consecutive-failure gates, reserved before any hash work (AU-2, AU-6):
 * - the Auth0 brute-force block: `max_attempts` failures of one identifier from one IP (or from
 *   anywhere, in `count_per_identifier` mode) block that pair for 30 days after the last
 *   failure; a success, a password change, an unblock link or an admin clears it;
 * - the account-wide slowdown (AU-1): from `threshold` consecutive failures from any IP the
 *   account admits one attempt at a time, after a delay doubling per failure up to
 *   `max_delay` — slowed, never locked for good.
 * A reservation counts as a failure-in-waiting, so concurrent attempts never pass a limit.
 */
import type { Provider } from '../provider/provider.js';
import { epochSeconds } from '../shared/clock.js';
import type { AttackProtectionSettings, LoginGate } from '../storage/models.js';
import type { GateRule } from '../storage/storage.js';
import type { Hold } from './hold.js';
import { IpAllowlist } from './ip-address.js';
import { type AttemptScope, protectionEvent, rateLimited } from './rejections.js';
import { accountDelay, BLOCK_SECONDS } from './settings.js';
import { queueUnblockNotification } from './unblock.js';

/** How long a reservation holds its slot if its request never settles (a crash). */
export const LEASE_SECONDS = 60;

/** Limit used when the `block` shield is off (monitoring: count and log, never refuse). */
const NO_LIMIT = 1_000_000_000;

type BruteForce = AttackProtectionSettings['brute_force_protection'];
type AccountThrottling = AttackProtectionSettings['account_throttling'];

/** The gate's `settle` for each hold step, plus what a failure does next. */
function gateHold(scope: AttemptScope, key: string, afterFailure: (g: LoginGate) => Promise<void>) {
  const { storage, clock } = scope.ctx.provider;
  const settle = (outcome: 'success' | 'failure' | 'abandoned') =>
    storage.loginGates.settle(key, outcome, epochSeconds(clock));
  const hold: Hold = {
    success: async () => void (await settle('success')),
    failure: async () => {
      const gate = await settle('failure');
      if (gate) await afterFailure(gate);
    },
    release: async () => void (await settle('abandoned')),
  };
  return hold;
}

async function reserve(
  scope: AttemptScope,
  key: string,
  rule: Omit<GateRule, 'forgetBefore' | 'leaseUntil'>,
) {
  const now = epochSeconds(scope.ctx.provider.clock);
  const full = { ...rule, forgetBefore: now - BLOCK_SECONDS, leaseUntil: now + LEASE_SECONDS };
  return scope.ctx.provider.storage.loginGates.reserve(key, full, now);
}

/** The gate key of (subject, IP) under `settings`' counting mode. */
function pairKey(subject: string, ip: string, settings: BruteForce): string {
  return `pair:${subject}:${settings.mode === 'count_per_identifier_and_ip' ? ip : '*'}`;
}

/** The 429 of a blocked pair, with the time its block ends. */
async function pairRefusal(provider: Provider, key: string, settings: BruteForce) {
  const { clock, storage } = provider;
  const gate = await storage.loginGates.get(key);
  const resetAt = (gate?.last_failure_at ?? epochSeconds(clock)) + BLOCK_SECONDS;
  return rateLimited('brute_force_blocked', settings.max_attempts, resetAt * 1000, clock.now());
}

/**
 * Throws the brute-force 429 when the pair (`subject`, `ip`) is blocked now, reserving nothing:
 * for grants that finish a login whose password was checked before the block (AU-5).
 */
export async function refuseBlockedPair(
  provider: Provider,
  subject: string,
  ip: string,
  settings: BruteForce,
): Promise<void> {
  if (!settings.enabled || !settings.shields.includes('block')) return;
  if (IpAllowlist.of(settings.allowlist).has(ip)) return;
  const key = pairKey(subject, ip, settings);
  const gate = await provider.storage.loginGates.get(key);
  const since = epochSeconds(provider.clock) - BLOCK_SECONDS;
  const recent = gate?.last_failure_at != null && gate.last_failure_at > since;
  if (gate && recent && gate.failures >= settings.max_attempts) {
    throw await pairRefusal(provider, key, settings);
  }
}

/** The Auth0 brute-force gate of (identifier, IP); throws 429 when the pair is blocked. */
export async function reservePair(scope: AttemptScope, settings: BruteForce): Promise<Hold | null> {
  if (!settings.enabled || IpAllowlist.of(settings.allowlist).has(scope.ip)) return null;
  const perIp = settings.mode === 'count_per_identifier_and_ip';
  const key = pairKey(scope.subject, scope.ip, settings);
  const blocking = settings.shields.includes('block');
  const admitted = await reserve(scope, key, {
    kind: 'pair',
    user_id: scope.user?.user_id ?? null,
    ip: perIp ? scope.ip : null,
    limit: blocking ? settings.max_attempts : NO_LIMIT,
    overflow: false,
  });
  if (!admitted) throw await pairRefusal(scope.ctx.provider, key, settings);
  return gateHold(scope, key, async (gate) => {
    if (gate.failures !== settings.max_attempts) return;
    protectionEvent(scope, 'limit_wc', 'Blocked: too many failed attempts into one account', {
      attempts: gate.failures,
      blocked: blocking,
    });
    if (settings.shields.includes('user_notification') && scope.user) {
      await queueUnblockNotification(scope.ctx.provider, scope.user, gate);
    }
  });
}

/** The account-wide gate; throws 429 while the account is slowed down. */
export async function reserveAccount(
  scope: AttemptScope,
  settings: AccountThrottling,
): Promise<Hold | null> {
  if (!settings.enabled) return null;
  const key = `account:${scope.subject}`;
  const admitted = await reserve(scope, key, {
    kind: 'account',
    user_id: scope.user?.user_id ?? null,
    ip: null,
    limit: settings.threshold,
    overflow: true,
  });
  const { clock, storage } = scope.ctx.provider;
  if (!admitted) {
    const gate = await storage.loginGates.get(key);
    const resetAt = Math.max(gate?.locked_until ?? 0, epochSeconds(clock) + 1);
    throw rateLimited('login_rate_limited', settings.threshold, resetAt * 1000, clock.now());
  }
  return gateHold(scope, key, async (gate) => {
    const delay = accountDelay(settings, gate.failures);
    if (delay === 0) return;
    await storage.loginGates.lockUntil(key, Math.ceil((clock.now() + delay) / 1000));
    if (gate.failures === settings.threshold) {
      protectionEvent(scope, 'limit_wc', 'Account slowed down: too many failed attempts', {
        attempts: gate.failures,
        scope: 'account',
      });
    }
  });
}

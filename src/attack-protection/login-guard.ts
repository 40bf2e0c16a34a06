/**
 * @module attack-protection/login-guard
 *
 * The one call the password check makes: {@link beginLoginAttempt} runs the cheap checks in
 * order — suspicious-IP bucket, same-user limit, brute-force pair, account slowdown — each
 * reserving its share atomically, and either refuses with a 429 (no hash computed) or returns
 * a {@link LoginAttempt} to settle once the password was checked.
 */
import type { GrantContext } from '../grants/grant-handler.js';
import type { Provider } from '../provider/provider.js';
import type { User } from '../storage/models.js';
import { refuseBlockedPair, reserveAccount, reservePair } from './brute-force.js';
import { endUserIp } from './end-user-ip.js';
import { type Hold, settleAll } from './hold.js';
import { limitSameUser, throttleIp } from './ip-throttling.js';
import type { AttemptScope } from './rejections.js';
import { loadSettings } from './settings.js';

export interface LoginSubject {
  readonly connection: string;
  /** The identifier as typed. */
  readonly identifier: string;
  /** The user it names, if any. */
  readonly user: User | null;
}

/** An admitted attempt; settle it exactly once. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
  /** Hashing did not happen or failed: the attempt counts for nothing. */
  abandon(): Promise<void>;
}

/** The key of a known user's counters. */
function userKey(user: User): string {
  return `u:${user.user_id}`;
}

/** Unknown identifiers are keyed by connection and NFKC-folded text (AU-7). */
function subjectKey(subject: LoginSubject): string {
  if (subject.user) return userKey(subject.user);
  return `i:${subject.connection}:${subject.identifier.normalize('NFKC').toLowerCase()}`;
}

/** Runs the checks; throws a 429 `OAuthError` when one refuses (nothing stays reserved). */
export async function beginLoginAttempt(
  ctx: GrantContext,
  subject: LoginSubject,
): Promise<LoginAttempt> {
  const settings = await loadSettings(ctx.provider.storage);
  const scope: AttemptScope = { ctx, ...subject, subject: subjectKey(subject), ip: endUserIp(ctx) };
  const holds: Hold[] = [];
  const keep = (hold: Hold | null) => {
    if (hold) holds.push(hold);
  };
  try {
    keep(await throttleIp(scope, settings.suspicious_ip_throttling));
    await limitSameUser(scope, settings.same_user_ip_limit);
    keep(await reservePair(scope, settings.brute_force_protection));
    keep(await reserveAccount(scope, settings.account_throttling));
  } catch (err) {
    await settleAll(holds, 'release');
    throw err;
  }
  return {
    succeeded: () => settleAll(holds, 'success'),
    failed: () => settleAll(holds, 'failure'),
    abandon: () => settleAll(holds, 'release'),
  };
}

/**
 * Throws the brute-force 429 when `user` is blocked from this request's end-user IP, counting
 * nothing: the MFA grants finish a login whose password was checked earlier, maybe before the
 * block, and must not issue tokens past it (AU-5).
 */
export function refuseBlockedUser(ctx: GrantContext, user: User): Promise<void> {
  return refuseBlockedUserFrom(ctx.provider, user, endUserIp(ctx));
}

/** {@link refuseBlockedUser} for a request from end-user `ip` (the MFA API's endpoints). */
export async function refuseBlockedUserFrom(
  provider: Provider,
  user: User,
  ip: string,
): Promise<void> {
  const settings = await loadSettings(provider.storage);
  await refuseBlockedPair(provider, userKey(user), ip, settings.brute_force_protection);
}

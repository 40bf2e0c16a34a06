/**
 * @module grants/shared/verify-password
 *
 * Checks a username and password against a connection. Unknown user, wrong password, a user
 * without a password and an oversized password all cost one hash verification and give the
 * same 403 "Wrong email or password." (a login with no hash to check verifies a decoy with the
 * cost of one of the connection's users: `accounts/decoy-hashes`); the log event (`fu` / `fp`)
 * records which. An admin-blocked user is told "user is blocked" only after the right password. A hash that is
 * bcrypt or below the argon2id policy is replaced after a good login (compare-and-set, so a
 * concurrent password change wins).
 */

import {
  type HashSource,
  hashQueueFull,
  type PasswordHasher,
} from '../../accounts/password-hasher.js';
import { endUserIp } from '../../attack-protection/end-user-ip.js';
import { beginLoginAttempt } from '../../attack-protection/login-guard.js';
import { OAuthError } from '../../errors/oauth-error.js';
import { audit } from '../../events/audit.js';
import type { Connection, User } from '../../storage/models.js';
import type { GrantContext } from '../grant-handler.js';

async function upgradeHash(ctx: GrantContext, user: User, password: string): Promise<void> {
  const { hasher, storage, logger } = ctx.provider;
  const old = user.password_hash;
  if (old === null || !hasher.needsRehash(old)) return;
  try {
    const next = await hasher.hash(password);
    if (await storage.users.compareAndSetPasswordHash(user.user_id, old, next)) {
      logger.info({ user_id: user.user_id }, 'password hash upgraded to argon2id');
    }
  } catch (err) {
    logger.warn({ err, user_id: user.user_id }, 'password hash upgrade failed');
  }
}

/**
 * A place in the hash queue for this login, taken before any lookup or counter, so a request
 * that would be shed costs neither (503 at once when there is no room).
 */
function hashPlace(hasher: PasswordHasher, ip: string): HashSource {
  if (!hasher.scheduler) return ip;
  const reservation = hasher.scheduler.reserve(ip);
  if (reservation === null) throw hashQueueFull();
  return reservation;
}

/**
 * Looks the user up and verifies the password in a reserved place of the hash queue, with the
 * attack-protection bookkeeping around the verification.
 */
async function checkCredentials(
  ctx: GrantContext,
  connection: Connection,
  username: string,
  password: string,
): Promise<{ user: User | null; valid: boolean }> {
  const { storage, hasher, decoys } = ctx.provider;
  const place = hashPlace(hasher, endUserIp(ctx));
  try {
    const user = await storage.users.findByLogin(connection.name, username);
    const attempt = await beginLoginAttempt(ctx, {
      connection: connection.name,
      identifier: username,
      user,
    });
    const stored = user?.password_hash ?? decoys.for(connection.name, username);
    const matches = await hasher.verify(password, stored, place).catch(async (err: unknown) => {
      await attempt.abandon();
      throw err;
    });
    const valid = matches && user !== null && user.password_hash !== null;
    await (user && valid ? attempt.succeeded() : attempt.failed());
    return { user, valid };
  } finally {
    if (typeof place !== 'string') place.release();
  }
}

/** The user, once the password verified and the user is not blocked. */
export async function verifyPassword(
  ctx: GrantContext,
  connection: Connection,
  username: string,
  password: string,
): Promise<User> {
  const { user, valid } = await checkCredentials(ctx, connection, username, password);
  const ip = endUserIp(ctx);
  const base = {
    client_id: ctx.client.client_id,
    connection: connection.name,
    ip,
    client_ip: ctx.request.ip,
    grant_type: ctx.grantType,
  };
  if (!user || !valid) {
    const type = user ? 'fp' : 'fu';
    audit(ctx.provider, {
      ...base,
      type,
      description: 'Wrong email or password.',
      user_name: username,
      user_id: user?.user_id,
    });
    throw new OAuthError('wrong_credentials');
  }
  if (user.blocked) {
    audit(ctx.provider, {
      ...base,
      type: 'f',
      description: 'user is blocked',
      user_id: user.user_id,
    });
    throw new OAuthError('user_blocked');
  }
  await upgradeHash(ctx, user, password);
  return user;
}

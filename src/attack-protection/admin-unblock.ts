/**
 * @module attack-protection/admin-unblock
 *
 * An administrator's unblock: removes the brute-force blocks and account slowdown of one user
 * (all IPs, or one IP). The user is named by `user_id`, or by email/username when exactly one
 * user of any connection has it. An admin block (`blocked: true`) is a separate state and
 * stays.
 */
import type { User } from '../storage/models.js';
import type { Storage } from '../storage/storage.js';
import { canonicalIp } from './ip-address.js';

export class UnblockError extends Error {
  override name = 'UnblockError';
}

async function findUser(storage: Storage, name: string): Promise<User> {
  const byId = await storage.users.get(name);
  if (byId) return byId;
  const found: User[] = [];
  for (const connection of await storage.connections.list()) {
    const user = await storage.users.findByLogin(connection.name, name);
    if (user) found.push(user);
  }
  if (found.length === 1 && found[0]) return found[0];
  if (found.length === 0) throw new UnblockError(`no user ${name}`);
  throw new UnblockError(`${name} names users in several connections; give the user_id`);
}

/** Clears the user's gates; returns the user and how many gates were removed. */
export async function adminUnblock(
  storage: Storage,
  name: string,
  ip?: string,
): Promise<{ user: User; cleared: number }> {
  let address: string | undefined;
  if (ip !== undefined) {
    address = canonicalIp(ip) ?? undefined;
    if (address === undefined) throw new UnblockError(`--ip ${ip} is not an IP address`);
  }
  const user = await findUser(storage, name);
  return { user, cleared: await storage.loginGates.clearUser(user.user_id, address) };
}

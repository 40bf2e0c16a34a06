/**
 * @module accounts/hash-cost
 *
 * How much work an imported hash may ask of one verification. A hash names its own cost, and
 * every login of its user (a wrong password too) pays it on a hash thread: a bcrypt cost of 31
 * would hold a thread for about two days on the reference VM, an argon2 `m` of 4 GiB would
 * allocate that much per attempt. So an import refuses what one login could not afford; the
 * limits sit far above what password stores use (bcrypt 10–13, argon2 up to libsodium's
 * "moderate" 256 MiB) and near 2 s of one core here.
 */

/** Highest bcrypt cost imported: 2^15 rounds, ~2.3 s per verification on the reference VM. */
export const MAX_BCRYPT_COST = 15;

/** Highest argon2 parameters imported: memory in KiB (256 MiB), passes, lanes. */
export const MAX_ARGON2 = { m: 262_144, t: 16, p: 16 } as const;

const BCRYPT_COST = /^\$2[aby]\$(\d\d)\$/;
const ARGON2_PARAMS = /^\$argon2(?:id|i|d)\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/;

/**
 * What is too costly in `hash` (a bcrypt or argon2 PHC string), or below argon2's minimums, or
 * undefined when nothing is.
 */
export function hashCostProblem(hash: string): string | undefined {
  const bcrypt = BCRYPT_COST.exec(hash);
  if (bcrypt) {
    const cost = Number(bcrypt[1]);
    return cost > MAX_BCRYPT_COST
      ? `bcrypt cost ${cost} is above ${MAX_BCRYPT_COST}, the highest Latchkey imports (each login, a wrong password too, would cost 2^${cost} rounds)`
      : undefined;
  }
  const argon2 = ARGON2_PARAMS.exec(hash);
  if (!argon2) return undefined;
  const given = { m: Number(argon2[1]), t: Number(argon2[2]), p: Number(argon2[3]) };
  // below argon2's own minimums (RFC 9106 §3.1) a hash can never verify: that user is locked out
  if (given.p < 1 || given.t < 1 || given.m < 8 * given.p) {
    return `argon2 m=${given.m},t=${given.t},p=${given.p} is not a valid argon2 hash (t and p at least 1, m at least 8 × p)`;
  }
  const salt = hash.split('$')[4] ?? '';
  if (salt.length < 11) return 'argon2 salt must be at least 8 bytes (RFC 9106 §3.1)';
  const over = (['m', 't', 'p'] as const).filter((key) => given[key] > MAX_ARGON2[key]);
  if (over.length === 0) return undefined;
  const limits = over.map((key) => `${key}=${given[key]} is above ${MAX_ARGON2[key]}`).join(', ');
  return `argon2 ${limits}, the highest Latchkey imports (m in KiB)`;
}

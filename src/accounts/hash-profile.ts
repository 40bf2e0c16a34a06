/**
 * @module accounts/hash-profile
 *
 * The part of a stored password hash that sets what verifying it costs: the bcrypt cost, or
 * the argon2 variant, version and `m`, `t`, `p`. Two hashes with the same profile cost the same
 * work whatever their salt and password, so a decoy hash with a user's profile costs what
 * that user's wrong password costs (see `decoy-hashes.ts`).
 *
 * A profile is written as the canonical start of such a hash (`$2b$10$`,
 * `$argon2id$v=19$m=19456,t=2,p=1$`): `$2a$`, `$2b$` and `$2y$` cost the same and all become `$2b$`.
 */

import { MAX_ARGON2, MAX_BCRYPT_COST } from './hash-cost.js';

const BCRYPT = /^\$2[aby]\$(\d\d)(?:\$|$)/;
const ARGON2 = /^\$(argon2(?:id|i|d))\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)(?:[$,]|$)/;

export type HashProfile =
  | { readonly family: 'bcrypt'; readonly cost: number }
  | {
      readonly family: 'argon2';
      readonly variant: 'argon2id' | 'argon2i' | 'argon2d';
      readonly version: number;
      readonly m: number;
      readonly t: number;
      readonly p: number;
    };

/**
 * The profile of a stored hash, or of the start of one that reaches at least its parameters
 * (for a bcrypt hash its first 7 characters, for argon2 up to `p=` and its digits); null
 * for anything else.
 */
export function parseHashProfile(text: string): HashProfile | null {
  const bcrypt = BCRYPT.exec(text);
  if (bcrypt) return { family: 'bcrypt', cost: Number(bcrypt[1]) };
  const argon2 = ARGON2.exec(text);
  if (!argon2) return null;
  const [, variant, version, m, t, p] = argon2;
  return {
    family: 'argon2',
    variant: variant as 'argon2id' | 'argon2i' | 'argon2d',
    version: Number(version),
    m: Number(m),
    t: Number(t),
    p: Number(p),
  };
}

/** The canonical text of a profile. */
export function formatHashProfile(profile: HashProfile): string {
  if (profile.family === 'bcrypt') return `$2b$${String(profile.cost).padStart(2, '0')}$`;
  const { variant, version, m, t, p } = profile;
  return `$${variant}$v=${version}$m=${m},t=${t},p=${p}$`;
}

/** The canonical profile of a stored hash (or the start of one), or null. */
export function hashProfile(text: string): string | null {
  const profile = parseHashProfile(text);
  return profile === null ? null : formatHashProfile(profile);
}

/**
 * True when one verification of `profile` is within what an import accepts (`hash-cost.ts`) and
 * above the algorithms' minimums: stored data from before those limits may hold anything, and
 * a decoy is only minted for what a login could afford.
 */
export function affordableProfile(profile: HashProfile): boolean {
  if (profile.family === 'bcrypt') return profile.cost >= 4 && profile.cost <= MAX_BCRYPT_COST;
  const { m, t, p } = profile;
  const withinMinimums = t >= 1 && p >= 1 && m >= 8 * p;
  return withinMinimums && m <= MAX_ARGON2.m && t <= MAX_ARGON2.t && p <= MAX_ARGON2.p;
}

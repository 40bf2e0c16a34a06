/**
 * @module keys/key-rotation
 *
 * The key lifecycle, as in Auth0: a `next` key is published before it signs anything, `current`
 * signs, `previous` is still published so tokens it signed keep verifying, `retired` is gone
 * from the JWKS. Every change happens in one storage transaction with compare-and-set status
 * transitions, so two processes racing cannot both rotate.
 */
import type { SigningKey, SigningKeyStatus } from '../storage/models.js';
import type { Storage } from '../storage/storage.js';
import { generateSigningKey } from './generate-signing-key.js';

/** Picks the key of a status deterministically (oldest first, then kid). */
export function keyWithStatus(
  keys: SigningKey[],
  status: SigningKeyStatus,
): SigningKey | undefined {
  return keys
    .filter((k) => k.status === status)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.kid.localeCompare(b.kid))[0];
}

/**
 * Makes sure a `current` and a `next` key exist (first start). Keys are generated outside the
 * transaction; inside it they are inserted only if still missing.
 */
export async function ensureSigningKeys(storage: Storage, now: Date): Promise<void> {
  const existing = await storage.signingKeys.list();
  const needCurrent = !keyWithStatus(existing, 'current');
  const needNext = !keyWithStatus(existing, 'next');
  if (!needCurrent && !needNext) return;
  const current = needCurrent ? await generateSigningKey('current', now) : undefined;
  const next = needNext ? await generateSigningKey('next', now) : undefined;
  await storage.transaction(async (tx) => {
    const keys = await tx.signingKeys.list();
    if (current && !keyWithStatus(keys, 'current')) await tx.signingKeys.insert(current);
    if (next && !keyWithStatus(keys, 'next')) await tx.signingKeys.insert(next);
  });
}

export interface RotationResult {
  /** kid that signs from now on. */
  current: string;
  /** kid still published for verification. */
  previous: string;
  /** kid generated and published for the following rotation. */
  next: string;
}

/** Rotates: previous → retired, current → previous, next → current, new next. */
export async function rotateSigningKeys(storage: Storage, now: Date): Promise<RotationResult> {
  await ensureSigningKeys(storage, now);
  const fresh = await generateSigningKey('next', now);
  const at = now.toISOString();
  return storage.transaction(async (tx) => {
    const keys = await tx.signingKeys.list();
    const current = keyWithStatus(keys, 'current');
    const next = keyWithStatus(keys, 'next');
    if (!current || !next) throw new Error('signing keys are missing; start the server once first');
    for (const old of keys.filter((k) => k.status === 'previous')) {
      await mustTransition(tx, old.kid, 'previous', 'retired', at);
    }
    await mustTransition(tx, current.kid, 'current', 'previous', at);
    await mustTransition(tx, next.kid, 'next', 'current', at);
    await tx.signingKeys.insert(fresh);
    return { current: next.kid, previous: current.kid, next: fresh.kid };
  });
}

async function mustTransition(
  tx: Storage,
  kid: string,
  from: SigningKeyStatus,
  to: SigningKeyStatus,
  at: string,
): Promise<void> {
  if (!(await tx.signingKeys.transition(kid, from, to, at))) {
    throw new Error(`key ${kid} changed status during rotation; try again`);
  }
}

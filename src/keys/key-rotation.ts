/**
 * @module keys/key-rotation
 *
 * The key lifecycle, as in Auth0: a `next` key is published before it signs anything, `current`
 * signs, `previous` keys are still published so tokens they signed keep verifying, `retired` is
 * gone from the JWKS once no token it signed can still be valid. Every change happens in one storage transaction with compare-and-set status
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

/**
 * How long after a key stops signing its signatures may still be seen: a running server signs
 * with it until its next key poll (10 s by default), and verifiers allow some clock skew.
 */
export const SIGNING_HANDOVER_S = 300;

/** The longest a token signed now may live: any API's access tokens, any client's ID tokens. */
async function longestTokenLifetimeS(storage: Storage): Promise<number> {
  const apis = await storage.resourceServers.list();
  const clients = await storage.clients.list();
  return Math.max(
    0,
    ...apis.map((api) => api.token_lifetime),
    ...clients.map((client) => client.jwt_configuration.lifetime_in_seconds),
  );
}

/**
 * Rotates: current → previous, next → current, new next. A previous key is retired (gone from
 * the JWKS) only once every token it can have signed has expired: the longest token lifetime
 * plus {@link SIGNING_HANDOVER_S} after it stopped signing. Until then rotations add previous
 * keys rather than drop them.
 */
export async function rotateSigningKeys(storage: Storage, now: Date): Promise<RotationResult> {
  await ensureSigningKeys(storage, now);
  const fresh = await generateSigningKey('next', now);
  const at = now.toISOString();
  const keepMs = ((await longestTokenLifetimeS(storage)) + SIGNING_HANDOVER_S) * 1000;
  return storage.transaction(async (tx) => {
    const keys = await tx.signingKeys.list();
    const current = keyWithStatus(keys, 'current');
    const next = keyWithStatus(keys, 'next');
    if (!current || !next) throw new Error('signing keys are missing; start the server once first');
    const expired = (key: SigningKey) =>
      Date.parse(key.status_changed_at) + keepMs <= now.getTime();
    for (const old of keys.filter((k) => k.status === 'previous' && expired(k))) {
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

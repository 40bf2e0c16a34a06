/**
 * @module keys/key-manager
 *
 * Holds the signing keys in memory as `KeyObject`s: the one that signs and the ones published
 * in the JWKS. It re-reads storage when the key set's version changes, so a rotation made by
 * `latchkey keys rotate` in another process reaches a running server within the poll interval.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { SigningKey } from '../storage/models.js';
import type { Storage } from '../storage/storage.js';
import { type PublicJwk, publicJwk } from './jwks.js';
import { ensureSigningKeys, keyWithStatus } from './key-rotation.js';

/** The key that signs tokens now. */
export interface ActiveKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

interface Loaded {
  version: string;
  active: ActiveKey;
  jwks: { keys: PublicJwk[] };
  publicKeys: Map<string, KeyObject>;
}

const PUBLISHED = new Set(['current', 'next', 'previous']);

function load(keys: SigningKey[], version: string): Loaded {
  const current = keyWithStatus(keys, 'current');
  if (!current) throw new Error('no current signing key');
  const published = keys.filter((k) => PUBLISHED.has(k.status));
  const publicKeys = new Map<string, KeyObject>();
  const jwks: PublicJwk[] = [];
  for (const key of published) {
    const pub = createPublicKey(key.private_key_pem);
    publicKeys.set(key.kid, pub);
    jwks.push(publicJwk(key, pub));
  }
  return {
    version,
    active: { kid: current.kid, privateKey: createPrivateKey(current.private_key_pem) },
    jwks: { keys: jwks },
    publicKeys,
  };
}

export class KeyManager {
  readonly #storage: Storage;
  #loaded: Loaded;
  #timer: NodeJS.Timeout | undefined;

  private constructor(storage: Storage, loaded: Loaded) {
    this.#storage = storage;
    this.#loaded = loaded;
  }

  /** Creates the first keys if needed and loads them. */
  static async open(storage: Storage, now: Date): Promise<KeyManager> {
    await ensureSigningKeys(storage, now);
    const version = await storage.signingKeys.version();
    return new KeyManager(storage, load(await storage.signingKeys.list(), version));
  }

  get active(): ActiveKey {
    return this.#loaded.active;
  }

  /** The public JWKS document (next, current and previous keys). */
  get jwks(): { keys: PublicJwk[] } {
    return this.#loaded.jwks;
  }

  /** The published public key with this kid, if any. */
  publicKey(kid: string): KeyObject | undefined {
    return this.#loaded.publicKeys.get(kid);
  }

  /** Reloads the keys when storage holds a newer version. */
  async refresh(): Promise<void> {
    const version = await this.#storage.signingKeys.version();
    if (version === this.#loaded.version) return;
    this.#loaded = load(await this.#storage.signingKeys.list(), version);
  }

  /** Polls storage every `intervalMs` for rotations made elsewhere. */
  watch(intervalMs: number, onError: (err: unknown) => void): void {
    this.stop();
    this.#timer = setInterval(() => this.refresh().catch(onError), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * @module client-auth/verifiers/client-secret
 *
 * Verifies client secrets against their stored argon2id hash. A secret that verified once is
 * remembered in memory as an HMAC under a per-process random key, next to the hash it matched:
 * later requests compare HMACs in constant time instead of paying for argon2 again, and any
 * other secret is known to be wrong without hashing. Changing the stored hash (a new secret)
 * invalidates the entry. Concurrent checks of the same secret for the same client share one
 * argon2 verification (a burst from a freshly started client costs one hash, not one each),
 * and hash work is queued under the client's own source so the hash scheduler keeps clients
 * apart from each other and from end users. See docs/adr/0003-client-secret-verification.md.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PasswordHasher } from '../../accounts/password-hasher.js';
import type { Client } from '../../storage/models.js';

interface Verified {
  hash: string;
  mac: Buffer;
}

export class ClientSecretVerifier {
  readonly #hasher: PasswordHasher;
  readonly #key = randomBytes(32);
  readonly #verified = new Map<string, Verified>();
  /** Verifications running now, by client id, hash and secret MAC. */
  readonly #inFlight = new Map<string, Promise<boolean>>();
  readonly #maxEntries: number;

  constructor(hasher: PasswordHasher, maxEntries = 10_000) {
    this.#hasher = hasher;
    this.#maxEntries = maxEntries;
  }

  /** True when `secret` is the client's secret. */
  async verify(client: Client, secret: string): Promise<boolean> {
    const hash = client.client_secret_hash;
    if (hash === null) return false;
    const mac = createHmac('sha256', this.#key).update(secret).digest();
    const known = this.#verified.get(client.client_id);
    if (known && known.hash === hash) return timingSafeEqual(known.mac, mac);
    const key = `${client.client_id}\n${hash}\n${mac.toString('base64url')}`;
    let running = this.#inFlight.get(key);
    if (!running) {
      running = this.#hashCheck(client.client_id, secret, { hash, mac });
      this.#inFlight.set(key, running);
      void running.finally(() => this.#inFlight.delete(key)).catch(() => {});
    }
    return running;
  }

  async #hashCheck(clientId: string, secret: string, entry: Verified): Promise<boolean> {
    if (!(await this.#hasher.verify(secret, entry.hash, `client:${clientId}`))) return false;
    this.#remember(clientId, entry);
    return true;
  }

  #remember(clientId: string, entry: Verified): void {
    if (this.#verified.size >= this.#maxEntries) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(clientId, entry);
  }
}

/**
 * @module provider/cors-policy
 *
 * Which browser origins may call the Authentication API: those a client lists in
 * `allowed_origins` or `web_origins` (Auth0's fields). When the request names its client
 * (`client_id` in the body or Basic credentials) only that client's origins count; otherwise
 * (preflights, `/userinfo`, the well-known documents) any client's origin does. The union is
 * cached for a few seconds so a browser preflight costs no query.
 */
import type { Clock } from '../shared/clock.js';
import type { Storage } from '../storage/storage.js';

const UNION_TTL_MS = 5_000;

export class CorsPolicy {
  readonly #storage: Storage;
  readonly #clock: Clock;
  #union: { origins: Set<string>; loadedAt: number } | undefined;

  constructor(storage: Storage, clock: Clock) {
    this.#storage = storage;
    this.#clock = clock;
  }

  /** True when `origin` may read responses; `clientId` narrows the check to one client. */
  async allows(origin: string, clientId?: string): Promise<boolean> {
    if (clientId !== undefined) {
      const client = await this.#storage.clients.get(clientId);
      return client !== null && [...client.allowed_origins, ...client.web_origins].includes(origin);
    }
    return (await this.#unionOfClients()).has(origin);
  }

  async #unionOfClients(): Promise<Set<string>> {
    const now = this.#clock.now();
    if (this.#union && now - this.#union.loadedAt < UNION_TTL_MS) return this.#union.origins;
    const origins = new Set<string>();
    for (const client of await this.#storage.clients.list()) {
      for (const origin of [...client.allowed_origins, ...client.web_origins]) origins.add(origin);
    }
    this.#union = { origins, loadedAt: now };
    return origins;
  }
}

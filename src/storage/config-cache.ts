/**
 * @module storage/config-cache
 *
 * A read-through cache in front of any adapter for the records every token request reads but
 * that rarely change: tenant settings, clients, connections, APIs, client grants, and the
 * attack-protection and Guardian (MFA) settings every password login reads. Entries
 * live `ttlMs` (default 1 s), so a change made by another process (`latchkey tenant import`
 * while the server runs) is seen within that time; a write through this storage, or any
 * transaction, empties the cache at once. Users, tokens and counters are never cached: they
 * carry the state attack protection and revocation depend on.
 */
import type { Clock } from '../shared/clock.js';
import type { Storage } from './storage.js';

/** Most entries held per kind; beyond it the kind is emptied (bounded under id spraying). */
const MAX_ENTRIES = 10_000;

class TtlCache {
  readonly #entries = new Map<string, { value: unknown; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** Cached `load()`; a null result is kept only with `keepNull` (singletons, not lookups by id). */
  async get<T>(key: string, load: () => Promise<T>, keepNull = false): Promise<T> {
    const now = this.clock.now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as T;
    const value = await load();
    if (value !== null || keepNull) {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
      this.#entries.set(key, { value, at: now });
    }
    return value;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** `storage` with cached configuration reads. */
export function withConfigCache(storage: Storage, clock: Clock, ttlMs = 1_000): Storage {
  const cache = new TtlCache(clock, ttlMs);
  const invalidating =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await write(...args);
      } finally {
        cache.clear();
      }
    };
  const { tenant, clients, connections, resourceServers, clientGrants } = storage;
  const { attackSettings, guardian } = storage;
  return {
    ...storage,
    tenant: {
      get: () => cache.get('tenant', () => tenant.get()),
      put: invalidating((s) => tenant.put(s)),
    },
    clients: {
      ...clients,
      get: (id) => cache.get(`client:${id}`, () => clients.get(id)),
      upsert: invalidating((c) => clients.upsert(c)),
      delete: invalidating((id) => clients.delete(id)),
    },
    connections: {
      ...connections,
      getByName: (name) => cache.get(`connection:${name}`, () => connections.getByName(name)),
      upsert: invalidating((c) => connections.upsert(c)),
      delete: invalidating((name) => connections.delete(name)),
    },
    resourceServers: {
      ...resourceServers,
      getByIdentifier: (id) => cache.get(`api:${id}`, () => resourceServers.getByIdentifier(id)),
      upsert: invalidating((r) => resourceServers.upsert(r)),
      delete: invalidating((id) => resourceServers.delete(id)),
    },
    clientGrants: {
      ...clientGrants,
      find: (clientId, audience) =>
        cache.get(`grant:${clientId}\n${audience}`, () => clientGrants.find(clientId, audience)),
      upsert: invalidating((g) => clientGrants.upsert(g)),
      delete: invalidating((id) => clientGrants.delete(id)),
    },
    attackSettings: {
      get: () => cache.get('attack-protection', () => attackSettings.get(), true),
      put: invalidating((s) => attackSettings.put(s)),
    },
    guardian: {
      get: () => cache.get('guardian', () => guardian.get()),
      put: invalidating((s) => guardian.put(s)),
    },
    transaction: invalidating((fn) => storage.transaction(fn)),
  };
}

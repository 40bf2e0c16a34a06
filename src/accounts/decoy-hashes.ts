/**
 * @module accounts/decoy-hashes
 *
 * What a login verifies when it has no password hash to check (an unknown user, a user
 * without a password): a decoy, a hash of a random secret with the cost profile of one of the
 * connection's users. A connection's users do not all cost the same: an imported bcrypt user
 * costs bcrypt's work until their first login, an imported argon2 hash its own parameters. A
 * single dummy would let timing tell those users from unknown ones (AU-9). So each login name
 * gets the profile that a keyed hash of the connection and the name picks, in proportion to
 * how many users of the connection have each profile: the same name always costs the same,
 * and a name whose time matches bcrypt's is no more likely to exist than any other.
 *
 * The counts come from storage and are read again every `refreshMs` (an import or the users'
 * first logins change them); a decoy is minted once per profile, off the request path, only
 * for a profile one login could afford (stored data may predate the import limits), and a
 * profile is used only once its decoy is ready. Until then, and for a connection without
 * users, `for` returns null and the hasher spends its argon2id dummy. The key is derived from
 * a persistent server secret, so a name keeps its profile across restarts and processes.
 * See docs/adr/0019-decoy-hashes-follow-the-connections-users.md.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PasswordHashProfileCount } from '../storage/models.js';
import { affordableProfile, parseHashProfile } from './hash-profile.js';
import type { PasswordHasher } from './password-hasher.js';

export interface DecoyOptions {
  /** How often the counts are read again (ms). */
  refreshMs: number;
  /** How long a start waits for the first decoys (ms); the rest are minted behind it. */
  startBudgetMs: number;
  /** Profiles kept per connection, the most common first (the rest are left out). */
  maxProfiles: number;
  /** Decoys minted at most, over all connections. */
  maxDecoys: number;
}

export const DEFAULT_DECOYS: DecoyOptions = {
  refreshMs: 600_000,
  startBudgetMs: 5_000,
  maxProfiles: 8,
  maxDecoys: 16,
};

/**
 * The key that picks a name's profile, derived from a server secret that outlives the process
 * (the OTP encryption key): the same name costs the same after a restart and in every process
 * of a deployment, as a real user does.
 */
export function decoyKey(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, '', 'latchkey decoy-hash profile picks', 32));
}

/** Where the counts come from (the user store). */
export interface ProfileCounts {
  passwordHashProfiles(): Promise<PasswordHashProfileCount[]>;
}

/** One connection's decoys, each covering the points below its `until`. */
interface Table {
  readonly total: number;
  readonly entries: readonly { readonly until: number; readonly hash: string }[];
}

/** True for a profile a decoy may be minted for: known, and affordable for one login. */
function mintable(profile: string): boolean {
  const parsed = parseHashProfile(profile);
  return parsed !== null && affordableProfile(parsed);
}

/** The `limit` most common affordable profiles of each connection, in a stable order. */
function topProfiles(
  counts: readonly PasswordHashProfileCount[],
  limit: number,
): Map<string, PasswordHashProfileCount[]> {
  const byConnection = new Map<string, PasswordHashProfileCount[]>();
  for (const count of counts) {
    if (count.users <= 0 || !mintable(count.profile)) continue;
    const list = byConnection.get(count.connection) ?? [];
    list.push(count);
    byConnection.set(count.connection, list);
  }
  for (const [connection, list] of byConnection) {
    const kept = list
      .sort((a, b) => b.users - a.users || a.profile.localeCompare(b.profile))
      .slice(0, limit);
    byConnection.set(connection, kept);
  }
  return byConnection;
}

export class DecoyHashes {
  readonly #counts: ProfileCounts;
  readonly #hasher: Pick<PasswordHasher, 'decoy'>;
  readonly #options: DecoyOptions;
  readonly #key: Buffer;
  /** Decoy hash by profile. */
  #minted = new Map<string, string>();
  #tables = new Map<string, Table>();
  /** The refresh running now: a second caller shares it instead of minting the same again. */
  #running: Promise<void> | undefined;

  /** @param key picks each name's profile (see {@link decoyKey}). */
  constructor(
    counts: ProfileCounts,
    hasher: Pick<PasswordHasher, 'decoy'>,
    key: Buffer,
    options: Partial<DecoyOptions> = {},
  ) {
    this.#counts = counts;
    this.#hasher = hasher;
    this.#key = key;
    this.#options = { ...DEFAULT_DECOYS, ...options };
  }

  /** The decoy for a login of `identifier` on `connection`, or null (no profile ready). */
  for(connection: string, identifier: string): string | null {
    const table = this.#tables.get(connection);
    if (!table) return null;
    const mac = createHmac('sha256', this.#key)
      .update(connection)
      .update('\0')
      .update(identifier.toLowerCase())
      .digest();
    const point = mac.readUIntBE(0, 6) % table.total;
    return table.entries.find((entry) => point < entry.until)?.hash ?? null;
  }

  /**
   * Reads the counts again, mints the decoys of profiles not seen before and then switches to
   * the new tables. A profile whose decoy cannot be minted is left out; `onError` hears why.
   * While one refresh runs, another call waits for it.
   */
  refresh(onError: (err: unknown, profile: string) => void = () => {}): Promise<void> {
    this.#running ??= this.#refresh(onError).finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #refresh(onError: (err: unknown, profile: string) => void): Promise<void> {
    const top = topProfiles(await this.#counts.passwordHashProfiles(), this.#options.maxProfiles);
    const wanted = [...top.values()].flat().sort((a, b) => b.users - a.users);
    const minted = new Map<string, string>();
    for (const { profile } of wanted) {
      if (minted.has(profile) || minted.size >= this.#options.maxDecoys) continue;
      const hash = this.#minted.get(profile) ?? (await this.#mint(profile, onError));
      if (hash !== null) minted.set(profile, hash);
    }
    this.#minted = minted;
    this.#tables = this.#buildTables(top);
  }

  /**
   * Refreshes now (waiting up to `startBudgetMs` for it; a slower one finishes behind), then
   * every `refreshMs` until the returned function is called. A failed refresh keeps the tables
   * it had and tells `onError`.
   */
  async start(onError: (err: unknown) => void): Promise<() => void> {
    const refresh = () => this.refresh(onError).catch(onError);
    const budget = new AbortController();
    await Promise.race([
      refresh(),
      sleep(this.#options.startBudgetMs, undefined, { signal: budget.signal }).catch(() => {}),
    ]);
    budget.abort();
    const timer = setInterval(() => void refresh(), this.#options.refreshMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async #mint(profile: string, onError: (err: unknown, profile: string) => void) {
    try {
      return await this.#hasher.decoy(profile);
    } catch (err) {
      onError(err, profile);
      return null;
    }
  }

  #buildTables(top: Map<string, PasswordHashProfileCount[]>): Map<string, Table> {
    const tables = new Map<string, Table>();
    for (const [connection, counts] of top) {
      let total = 0;
      const entries: { until: number; hash: string }[] = [];
      for (const { profile, users } of counts) {
        const hash = this.#minted.get(profile);
        if (hash === undefined) continue;
        total += users;
        entries.push({ until: total, hash });
      }
      if (total > 0) tables.set(connection, { total, entries });
    }
    return tables;
  }
}

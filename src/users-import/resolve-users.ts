/**
 * @module users-import/resolve-users
 *
 * Matches the rows of a users file with stored users of the connection — by `user_id` when
 * the row gives one, else by email — and builds the records to write. A row replaces the
 * fields it gives and keeps the stored values of the others (its password hash too); a new
 * user without `user_id` gets `auth0|<24 hex>`. Clashes with other stored users are reported
 * here, before anything is written. Reads only; no writes.
 */
import { randomHex } from '../shared/crypto.js';
import type { User } from '../storage/models.js';
import type { Storage } from '../storage/storage.js';
import { formatPath } from '../tenant/tenant-file-error.js';
import type { Problems } from './problems.js';
import type { ImportRow } from './validate-row.js';

/** A record to write, and whether it replaces a stored user. */
export interface PreparedUser {
  index: number;
  record: User;
  existed: boolean;
}

const PROFILE = ['given_name', 'family_name', 'name', 'nickname', 'picture'] as const;

/** The stored user the row replaces, or null; problems when it belongs elsewhere. */
async function findTarget(
  storage: Storage,
  connection: string,
  row: ImportRow,
  problems: Problems,
): Promise<User | null> {
  if (row.user_id === undefined) return storage.users.findByEmail(connection, row.email);
  const byId = await storage.users.get(row.user_id);
  if (byId && byId.connection !== connection) {
    problems.add([row.index, 'user_id'], `belongs to a user of connection "${byId.connection}"`);
  }
  return byId;
}

/** Whether `before` (of `connection`) already holds `value` in `field`, so no one else can. */
function holds(
  before: User | null,
  connection: string,
  field: 'email' | 'username',
  value: string,
): boolean {
  return before?.connection === connection && before[field]?.toLowerCase() === value.toLowerCase();
}

/** Another stored user of the connection already holding the row's email or username. */
async function checkClashes(
  storage: Storage,
  connection: string,
  row: ImportRow,
  before: User | null,
  userId: string,
  problems: Problems,
): Promise<void> {
  const clash = (field: 'email' | 'username', owner: User) =>
    problems.add(
      [row.index, field],
      `another user of connection "${connection}" already has this ${field} (${owner.user_id})`,
    );
  // A row without user_id was matched by its email, so only a row with one can clash on it.
  if (row.user_id !== undefined && !holds(before, connection, 'email', row.email)) {
    const byEmail = await storage.users.findByEmail(connection, row.email);
    if (byEmail && byEmail.user_id !== userId) clash('email', byEmail);
  }
  if (row.username === undefined || holds(before, connection, 'username', row.username)) return;
  const byLogin = await storage.users.findByLogin(connection, row.username);
  const sameName = byLogin?.username?.toLowerCase() === row.username.toLowerCase();
  if (byLogin && sameName && byLogin.user_id !== userId) clash('username', byLogin);
}

function buildUser(
  row: ImportRow,
  before: User | null,
  base: { user_id: string; connection: string; now: string },
): User {
  const email = row.email.toLowerCase();
  const keptVerified = before !== null && before.email === email && before.email_verified;
  const profile = Object.fromEntries(
    PROFILE.map((field) => [field, row[field] ?? before?.[field] ?? null]),
  ) as Pick<User, (typeof PROFILE)[number]>;
  return {
    user_id: base.user_id,
    connection: base.connection,
    email,
    username: row.username ?? before?.username ?? null,
    email_verified: row.email_verified ?? keptVerified,
    ...profile,
    app_metadata: structuredClone(row.app_metadata ?? before?.app_metadata ?? {}),
    user_metadata: structuredClone(row.user_metadata ?? before?.user_metadata ?? {}),
    blocked: row.blocked ?? before?.blocked ?? false,
    password_hash: row.password_hash ?? before?.password_hash ?? null,
    created_at: before?.created_at ?? base.now,
    updated_at: base.now,
  };
}

/** Two rows must not resolve to the same stored user. */
function checkDistinct(prepared: readonly PreparedUser[], problems: Problems): void {
  const seen = new Map<string, number>();
  for (const { index, record, existed } of prepared) {
    if (!existed) continue;
    const first = seen.get(record.user_id);
    if (first === undefined) seen.set(record.user_id, index);
    else {
      problems.add(
        [index],
        `matches the same stored user (${record.user_id}) as ${formatPath([first])}`,
      );
    }
  }
}

/**
 * The records for `rows` in `connection` at time `now` (ISO 8601). Every clash found goes to
 * `problems`; the records are only usable when none was added.
 */
export async function resolveUsers(
  storage: Storage,
  connection: string,
  rows: readonly ImportRow[],
  now: string,
  problems: Problems,
): Promise<PreparedUser[]> {
  const prepared: PreparedUser[] = [];
  for (const row of rows) {
    const before = await findTarget(storage, connection, row, problems);
    const userId = before?.user_id ?? row.user_id ?? `auth0|${randomHex(24)}`;
    await checkClashes(storage, connection, row, before, userId, problems);
    const record = buildUser(row, before, { user_id: userId, connection, now });
    prepared.push({ index: row.index, record, existed: before !== null });
  }
  checkDistinct(prepared, problems);
  return prepared;
}

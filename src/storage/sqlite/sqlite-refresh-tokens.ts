/**
 * @module storage/sqlite/sqlite-refresh-tokens
 *
 * {@link RefreshTokenStore} over the `refresh_tokens` table, keyed by `token_hash`. Every
 * state change is a conditional `UPDATE … WHERE <expected state>` whose changed-row count is
 * the answer; `rotate` adds the successor's `INSERT` in the same transaction, and only when
 * its `UPDATE` changed the row.
 */
import type { Kysely, Selectable } from 'kysely';
import type { RefreshToken } from '../models.js';
import type { RefreshTokenStore } from '../storage.js';
import { fromFlag, rowCount, toFlag } from './columns.js';
import type { Database, RefreshTokensTable } from './schema.js';
import { withUniqueViolation } from './sqlite-errors.js';

function toRow(token: RefreshToken): RefreshTokensTable {
  return {
    token_hash: token.token_hash,
    family_id: token.family_id,
    client_id: token.client_id,
    user_id: token.user_id,
    audience: token.audience,
    scope: token.scope,
    created_at: token.created_at,
    expires_at: token.expires_at,
    idle_expires_at: token.idle_expires_at,
    status: token.status,
    rotated_at: token.rotated_at,
    successor_hash: token.successor_hash,
    leeway_used: toFlag(token.leeway_used),
    dpop_jkt: token.dpop_jkt,
  };
}

function fromRow(row: Selectable<RefreshTokensTable>): RefreshToken {
  return { ...row, leeway_used: fromFlag(row.leeway_used) };
}

/**
 * Runs `fn` in `db`'s transaction when `db` is one, otherwise in a new transaction
 * (`BEGIN IMMEDIATE`, see the dialect) that commits when `fn` resolves.
 */
function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/** Marks the active token `tokenHash` rotated, then inserts `successor`; false if not active. */
async function rotate(
  db: Kysely<Database>,
  tokenHash: string,
  successor: RefreshToken,
  at: number,
): Promise<boolean> {
  // Compiled on `db` before the transaction opens: on the outer storage this runs its
  // transaction guard, which rejects a call from inside `transaction(fn)` at once instead of
  // letting it wait forever for the connection that the open transaction holds.
  const markRotated = db
    .updateTable('refresh_tokens')
    .set({ status: 'rotated', rotated_at: at, successor_hash: successor.token_hash })
    .where('token_hash', '=', tokenHash)
    .where('status', '=', 'active')
    .compile();
  const insertSuccessor = db.insertInto('refresh_tokens').values(toRow(successor)).compile();
  return inTransaction(db, async (trx) => {
    const marked = await trx.executeQuery(markRotated);
    if (rowCount(marked.numAffectedRows) !== 1) return false;
    await withUniqueViolation(trx.executeQuery(insertSuccessor));
    return true;
  });
}

/** Revokes the tokens whose `column` equals `value`; returns how many were not revoked. */
async function revokeWhere(
  db: Kysely<Database>,
  column: 'family_id' | 'user_id',
  value: string,
): Promise<number> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ status: 'revoked' })
    .where(column, '=', value)
    .where('status', '!=', 'revoked')
    .executeTakeFirst();
  return rowCount(result.numUpdatedRows);
}

/** Spends the leeway of the rotated token `tokenHash`; true only the first time. */
async function claimLeeway(db: Kysely<Database>, tokenHash: string): Promise<boolean> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ leeway_used: 1 })
    .where('token_hash', '=', tokenHash)
    .where('status', '=', 'rotated')
    .where('leeway_used', '=', 0)
    .executeTakeFirst();
  return rowCount(result.numUpdatedRows) === 1;
}

/** Deletes tokens with an expiry before `now`; a null expiry never expires. */
async function purgeExpired(db: Kysely<Database>, now: number): Promise<number> {
  // `null < now` is null, which no row satisfies.
  const result = await db
    .deleteFrom('refresh_tokens')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('idle_expires_at', '<', now)]))
    .executeTakeFirst();
  return rowCount(result.numDeletedRows);
}

/** A {@link RefreshTokenStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteRefreshTokens(db: Kysely<Database>): RefreshTokenStore {
  return {
    async insert(token) {
      await withUniqueViolation(db.insertInto('refresh_tokens').values(toRow(token)).execute());
    },
    async get(tokenHash) {
      const row = await db
        .selectFrom('refresh_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },
    rotate: (tokenHash, successor, at) => rotate(db, tokenHash, successor, at),
    claimLeeway: (tokenHash) => claimLeeway(db, tokenHash),
    async touch(tokenHash, idleExpiresAt) {
      await db
        .updateTable('refresh_tokens')
        .set({ idle_expires_at: idleExpiresAt })
        .where('token_hash', '=', tokenHash)
        .where('status', '=', 'active')
        .execute();
    },
    revokeFamily: (familyId) => revokeWhere(db, 'family_id', familyId),
    revokeByUser: (userId) => revokeWhere(db, 'user_id', userId),
    purgeExpired: (now) => purgeExpired(db, now),
  };
}

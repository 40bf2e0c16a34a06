/**
 * @module storage/sqlite/sqlite-mfa-tokens
 *
 * {@link MfaTokenStore} over the `mfa_tokens` table. `consume` is a compare-and-set on the
 * `consumed` flag: of concurrent redemptions of one token exactly one wins.
 */
import type { Kysely } from 'kysely';
import type { MfaTokenStore } from '../storage.js';
import { fromFlag, rowCount, toFlag } from './columns.js';
import type { Database } from './schema.js';

/** An {@link MfaTokenStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteMfaTokens(db: Kysely<Database>): MfaTokenStore {
  return {
    async insert(token) {
      await db
        .insertInto('mfa_tokens')
        .values({ ...token, consumed: toFlag(token.consumed) })
        .execute();
    },

    async get(tokenHash) {
      const row = await db
        .selectFrom('mfa_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row ? { ...row, consumed: fromFlag(row.consumed) } : null;
    },

    async consume(tokenHash) {
      const result = await db
        .updateTable('mfa_tokens')
        .set({ consumed: 1 })
        .where('token_hash', '=', tokenHash)
        .where('consumed', '=', 0)
        .executeTakeFirst();
      return rowCount(result.numUpdatedRows) === 1;
    },

    async purgeExpired(now) {
      const result = await db
        .deleteFrom('mfa_tokens')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

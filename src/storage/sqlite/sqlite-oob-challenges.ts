/**
 * @module storage/sqlite/sqlite-oob-challenges
 *
 * {@link OobChallengeStore} over the `mfa_oob_challenges` table; `consume` is a
 * compare-and-set on the `consumed` flag.
 */
import type { Kysely } from 'kysely';
import type { OobChallengeStore } from '../storage.js';
import { fromFlag, rowCount, toFlag } from './columns.js';
import type { Database } from './schema.js';

/** An {@link OobChallengeStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteOobChallenges(db: Kysely<Database>): OobChallengeStore {
  return {
    async insert(challenge) {
      await db
        .insertInto('mfa_oob_challenges')
        .values({ ...challenge, consumed: toFlag(challenge.consumed) })
        .execute();
    },

    async get(oobCodeHash) {
      const row = await db
        .selectFrom('mfa_oob_challenges')
        .selectAll()
        .where('oob_code_hash', '=', oobCodeHash)
        .executeTakeFirst();
      return row ? { ...row, consumed: fromFlag(row.consumed) } : null;
    },

    async consume(oobCodeHash) {
      const result = await db
        .updateTable('mfa_oob_challenges')
        .set({ consumed: 1 })
        .where('oob_code_hash', '=', oobCodeHash)
        .where('consumed', '=', 0)
        .executeTakeFirst();
      return rowCount(result.numUpdatedRows) === 1;
    },

    async purgeExpired(now) {
      const result = await db
        .deleteFrom('mfa_oob_challenges')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

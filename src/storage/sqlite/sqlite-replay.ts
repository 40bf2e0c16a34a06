/**
 * @module storage/sqlite/sqlite-replay
 *
 * {@link ReplayStore} over the `replay` table. A claim is one statement: insert the key, or
 * on conflict take it over only when the recorded claim has expired. `RETURNING` yields a row
 * exactly when the statement inserted or took over, so of many concurrent claims one wins.
 */
import type { Kysely } from 'kysely';
import type { ReplayStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';

/** A {@link ReplayStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteReplay(db: Kysely<Database>): ReplayStore {
  return {
    async claim(key, expiresAt, now) {
      const claimed = await db
        .insertInto('replay')
        .values({ key, expires_at: expiresAt })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({ expires_at: expiresAt })
            .where('replay.expires_at', '<=', now),
        )
        .returning('key')
        .executeTakeFirst();
      return claimed !== undefined;
    },

    async purgeExpired(now) {
      const result = await db
        .deleteFrom('replay')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

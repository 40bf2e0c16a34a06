/**
 * @module storage/sqlite/sqlite-dpop-proofs
 *
 * {@link DpopProofStore} over the `dpop_proofs` table, keyed by (`jkt`, `jti_hash`). A claim is
 * one statement: insert, or on conflict take the row over only when it has expired; `RETURNING`
 * yields a row exactly when this statement won, so of many concurrent claims one is true.
 */
import type { Kysely } from 'kysely';
import type { DpopProofStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';

/** A {@link DpopProofStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteDpopProofs(db: Kysely<Database>): DpopProofStore {
  return {
    async claim(jkt, jtiHash, expiresAt, now) {
      const claimed = await db
        .insertInto('dpop_proofs')
        .values({ jkt, jti_hash: jtiHash, expires_at: expiresAt })
        .onConflict((oc) =>
          oc
            .columns(['jkt', 'jti_hash'])
            .doUpdateSet({ expires_at: expiresAt })
            .where('dpop_proofs.expires_at', '<=', now),
        )
        .returning('jkt')
        .executeTakeFirst();
      return claimed !== undefined;
    },

    async purgeExpired(now) {
      const result = await db
        .deleteFrom('dpop_proofs')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

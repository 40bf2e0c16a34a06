/**
 * @module storage/sqlite/sqlite-access-tokens
 *
 * {@link AccessTokenStore} over the `access_tokens` table. A token is expired at `now` when
 * `expires_at <= now`; expired rows stay invisible until `purgeExpired` removes them.
 */
import type { Kysely } from 'kysely';
import type { AccessTokenStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';

/** An {@link AccessTokenStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteAccessTokens(db: Kysely<Database>): AccessTokenStore {
  return {
    async put(token) {
      const row = {
        token_hash: token.token_hash,
        client_id: token.client_id,
        user_id: token.user_id,
        scope: token.scope,
        expires_at: token.expires_at,
        dpop_jkt: token.dpop_jkt,
      };
      const { token_hash: _key, ...changes } = row;
      await db
        .insertInto('access_tokens')
        .values(row)
        .onConflict((oc) => oc.column('token_hash').doUpdateSet(changes))
        .execute();
    },

    async get(tokenHash, now) {
      const row = await db
        .selectFrom('access_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row ?? null;
    },

    async purgeExpired(now) {
      const result = await db
        .deleteFrom('access_tokens')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

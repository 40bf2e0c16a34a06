/**
 * @module storage/sqlite/sqlite-counters
 *
 * {@link CounterStore} over the `counters` table. An increment is one statement: insert the
 * counter at `by`, or on conflict add `by` (restarting from zero when the counter expired at
 * `now`), and return the new value.
 */
import type { Kysely } from 'kysely';
import type { CounterStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';

/** A {@link CounterStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteCounters(db: Kysely<Database>): CounterStore {
  return {
    async increment(key, by, expiresAt, now) {
      const row = await db
        .insertInto('counters')
        .values({ key, value: by, expires_at: expiresAt })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            value: eb
              .case()
              .when('counters.expires_at', '<=', now)
              .then(by)
              .else(eb('counters.value', '+', by))
              .end(),
            expires_at: expiresAt,
          })),
        )
        .returning('value')
        .executeTakeFirstOrThrow();
      return row.value;
    },

    async get(key, now) {
      const row = await db
        .selectFrom('counters')
        .select('value')
        .where('key', '=', key)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row?.value ?? 0;
    },

    async reset(key) {
      await db.deleteFrom('counters').where('key', '=', key).execute();
    },

    async purgeExpired(now) {
      const result = await db
        .deleteFrom('counters')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

/**
 * @module storage/sqlite/sqlite-rate-buckets
 *
 * {@link RateBucketStore} over `rate_buckets` (GCRA). Taking is one upsert: the theoretical
 * arrival time moves to `max(tat, now) + interval` only while that stays within
 * `burst × interval` of `now`; `RETURNING` yields a row exactly when the take was allowed.
 */
import { type Kysely, sql } from 'kysely';
import type { RateBucketStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';

/** A {@link RateBucketStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteRateBuckets(db: Kysely<Database>): RateBucketStore {
  return {
    async take(key, burst, interval, now) {
      const next = sql`max(rate_buckets.tat, ${now}) + ${interval}`;
      const taken = await sql<{ tat: number }>`
        insert into rate_buckets (key, tat) values (${key}, ${now + interval})
        on conflict (key) do update set tat = ${next}
        where ${next} - ${now} <= ${burst * interval}
        returning tat`.execute(db);
      const row = taken.rows[0];
      const window = burst * interval;
      if (row !== undefined) {
        return {
          allowed: true,
          remaining: Math.floor((window - (row.tat - now)) / interval),
          nextAt: Math.max(now, row.tat - window + interval),
        };
      }
      const current = await db
        .selectFrom('rate_buckets')
        .select('tat')
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      return { allowed: false, remaining: 0, nextAt: current.tat - window + interval };
    },

    async giveBack(key, interval, now) {
      await sql`update rate_buckets set tat = max(tat - ${interval}, ${now})
        where key = ${key}`.execute(db);
    },

    async reset(key) {
      await db.deleteFrom('rate_buckets').where('key', '=', key).execute();
    },

    async purgeFull(now) {
      const result = await db.deleteFrom('rate_buckets').where('tat', '<=', now).executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

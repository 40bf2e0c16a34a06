/**
 * @module storage/sqlite/sqlite-rate-buckets
 *
 * {@link RateBucketStore} over `rate_buckets` (GCRA). Taking is one upsert: the theoretical
 * arrival time moves to `max(tat, now) + interval` only while that stays within
 * `burst × interval` of `now`; `RETURNING` yields a row exactly when the take was allowed.
 * Taking and giving back are on every password login, so they run as fixed SQL through a
 * {@link SqlRunner} (ADR 0016).
 */
import type { Kysely } from 'kysely';
import type { RateBucketStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';
import type { SqlRunner } from './sql-runner.js';

/** Parameters: key, now + interval, then (now, interval) twice, now, burst × interval. */
const TAKE = `insert into rate_buckets (key, tat) values (?, ?)
  on conflict (key) do update set tat = max(rate_buckets.tat, ?) + ?
  where max(rate_buckets.tat, ?) + ? - ? <= ?
  returning tat`;
const CURRENT = 'select tat from rate_buckets where key = ?';
/** Parameters: interval, now, key. */
const GIVE_BACK = 'update rate_buckets set tat = max(tat - ?, ?) where key = ?';

/**
 * A {@link RateBucketStore} that runs its queries on `db` (a database or a transaction), the
 * login path's through `runner`.
 */
export function sqliteRateBuckets(db: Kysely<Database>, runner: SqlRunner): RateBucketStore {
  return {
    async take(key, burst, interval, now) {
      const window = burst * interval;
      const params = [key, now + interval, now, interval, now, interval, now, window];
      const row = await runner.get<{ tat: number }>(TAKE, params);
      if (row !== undefined) {
        return {
          allowed: true,
          remaining: Math.floor((window - (row.tat - now)) / interval),
          nextAt: Math.max(now, row.tat - window + interval),
        };
      }
      const current = await runner.get<{ tat: number }>(CURRENT, [key]);
      if (current === undefined) throw new Error(`rate bucket ${key} vanished while taken`);
      return { allowed: false, remaining: 0, nextAt: current.tat - window + interval };
    },

    async giveBack(key, interval, now) {
      await runner.run(GIVE_BACK, [interval, now, key]);
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

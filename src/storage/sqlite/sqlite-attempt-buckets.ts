/**
 * @module storage/sqlite/sqlite-attempt-buckets
 *
 * {@link AttemptBucketStore} over the `attempt_buckets` table. A row holds how many attempts
 * are `spent` and when the bucket was last refilled; `steps` whole refill intervals since
 * then give back `steps` attempts. `take` is one upsert whose conflict branch runs only while
 * attempts are left, so concurrent takes never overdraw the bucket.
 */
import { type Kysely, sql } from 'kysely';
import type { AttemptBucketStore } from '../storage.js';
import type { Database } from './schema.js';

/** Whole refill intervals between the row's `refilled_at` and `now` (never negative). */
function steps(now: number, refillSeconds: number) {
  return sql<number>`cast(max(0, ${now} - attempt_buckets.refilled_at) / ${refillSeconds} as integer)`;
}

/** An {@link AttemptBucketStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteAttemptBuckets(db: Kysely<Database>): AttemptBucketStore {
  return {
    async take(key, capacity, refillSeconds, now) {
      const passed = steps(now, refillSeconds);
      const left = sql<number>`max(0, attempt_buckets.spent - ${passed})`;
      const row = await sql<{ spent: number }>`
        insert into attempt_buckets (key, spent, refilled_at) values (${key}, 1, ${now})
        on conflict (key) do update set
          spent = ${left} + 1,
          refilled_at = case when ${left} = 0 then ${now}
            else attempt_buckets.refilled_at + ${passed} * ${refillSeconds} end
        where ${left} < ${capacity}
        returning spent`.execute(db);
      return row.rows.length === 1;
    },

    async refund(key) {
      await sql`update attempt_buckets set spent = max(0, spent - 1) where key = ${key}`.execute(
        db,
      );
    },

    async retryAfter(key, capacity, refillSeconds, now) {
      const row = await db
        .selectFrom('attempt_buckets')
        .select(['spent', 'refilled_at'])
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row) return 0;
      const passed = Math.floor(Math.max(0, now - row.refilled_at) / refillSeconds);
      if (row.spent - passed < capacity) return 0;
      return row.refilled_at + (passed + 1) * refillSeconds - now;
    },

    async reset(key) {
      await db.deleteFrom('attempt_buckets').where('key', '=', key).execute();
    },
  };
}

/**
 * @module storage/sqlite/sqlite-login-gates
 *
 * {@link LoginGateStore} over `login_gates`. A reservation is one upsert whose update runs only
 * when the gate still admits an attempt; `RETURNING` yields a row exactly when the attempt was
 * admitted, so concurrent reservations can never pass the limit. Failures older than
 * `forgetBefore` and in-flight counts whose lease ran out are read as zero.
 */
import { type Kysely, sql } from 'kysely';
import type { LoginGate } from '../models.js';
import type { GateOutcome, LoginGateStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';

/** The assignments that settle one attempt with `outcome` at `now`. */
function settlement(outcome: GateOutcome, now: number) {
  const free = sql`in_flight = max(in_flight - 1, 0)`;
  if (outcome === 'success') return sql`failures = 0, last_failure_at = null, ${free}`;
  if (outcome === 'failure') return sql`failures = failures + 1, last_failure_at = ${now}, ${free}`;
  return free;
}

/** A {@link LoginGateStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteLoginGates(db: Kysely<Database>): LoginGateStore {
  const get = async (key: string): Promise<LoginGate | null> =>
    (await db.selectFrom('login_gates').selectAll().where('key', '=', key).executeTakeFirst()) ??
    null;
  return {
    async reserve(key, rule, now) {
      const failures = sql`(case when login_gates.last_failure_at is null
        or login_gates.last_failure_at <= ${rule.forgetBefore} then 0
        else login_gates.failures end)`;
      const inFlight = sql`(case when login_gates.lease_until <= ${now} then 0
        else login_gates.in_flight end)`;
      const result = await sql<{ key: string }>`
        insert into login_gates
          (key, kind, user_id, ip, failures, in_flight, lease_until, last_failure_at, locked_until)
        values (${key}, ${rule.kind}, ${rule.user_id}, ${rule.ip}, 0, 1, ${rule.leaseUntil}, null, 0)
        on conflict (key) do update set
          failures = ${failures}, in_flight = ${inFlight} + 1, lease_until = ${rule.leaseUntil}
        where login_gates.locked_until <= ${now} and (${failures} + ${inFlight} < ${rule.limit}
          or (${rule.overflow ? 1 : 0} = 1 and ${inFlight} = 0))
        returning key`.execute(db);
      return result.rows.length === 1;
    },

    async settle(key, outcome, now) {
      await sql`update login_gates set ${settlement(outcome, now)} where key = ${key}`.execute(db);
      return get(key);
    },

    async lockUntil(key, until) {
      await db
        .updateTable('login_gates')
        .set({ locked_until: until })
        .where('key', '=', key)
        .execute();
    },

    get,

    async clearUser(userId, ip) {
      let query = db.deleteFrom('login_gates').where('user_id', '=', userId);
      if (ip !== undefined) query = query.where('ip', '=', ip);
      return rowCount((await query.executeTakeFirst()).numDeletedRows);
    },

    async clear(key) {
      const result = await db.deleteFrom('login_gates').where('key', '=', key).executeTakeFirst();
      return rowCount(result.numDeletedRows) > 0;
    },

    async purgeExpired(forgetBefore, now) {
      const result = await db
        .deleteFrom('login_gates')
        .where((eb) =>
          eb.or([eb('last_failure_at', 'is', null), eb('last_failure_at', '<=', forgetBefore)]),
        )
        .where('lease_until', '<=', now)
        .where('locked_until', '<=', now)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows);
    },
  };
}

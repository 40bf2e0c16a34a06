/**
 * @module storage/sqlite/sqlite-login-gates
 *
 * {@link LoginGateStore} over `login_gates`. A reservation is one upsert whose update runs only
 * when the gate still admits an attempt; `RETURNING` yields a row exactly when the attempt was
 * admitted, so concurrent reservations can never pass the limit. Failures older than
 * `forgetBefore` and in-flight counts whose lease ran out are read as zero. Reserving and
 * settling are on every password login, so they run as fixed SQL through a {@link SqlRunner}
 * (ADR 0016).
 */
import type { Kysely } from 'kysely';
import type { LoginGate } from '../models.js';
import type { GateOutcome, GateRule, LoginGateStore } from '../storage.js';
import { rowCount } from './columns.js';
import type { Database } from './schema.js';
import type { SqlParams, SqlRunner } from './sql-runner.js';

/** Failures still counted: parameter `forgetBefore`. */
const FAILURES = `(case when login_gates.last_failure_at is null
  or login_gates.last_failure_at <= ? then 0 else login_gates.failures end)`;
/** Attempts still in flight: parameter `now`. */
const IN_FLIGHT = '(case when login_gates.lease_until <= ? then 0 else login_gates.in_flight end)';
const RESERVE = `insert into login_gates
    (key, kind, user_id, ip, failures, in_flight, lease_until, last_failure_at, locked_until)
  values (?, ?, ?, ?, 0, 1, ?, null, 0)
  on conflict (key) do update set
    failures = ${FAILURES}, in_flight = ${IN_FLIGHT} + 1, lease_until = ?
  where login_gates.locked_until <= ? and (${FAILURES} + ${IN_FLIGHT} < ?
    or (? = 1 and ${IN_FLIGHT} = 0))
  returning key`;

/** {@link RESERVE}'s parameters, in the order its placeholders appear. */
function reserveParams(key: string, rule: GateRule, now: number): SqlParams {
  const { forgetBefore, leaseUntil } = rule;
  return [
    ...[key, rule.kind, rule.user_id, rule.ip, leaseUntil],
    ...[forgetBefore, now, leaseUntil],
    ...[now, forgetBefore, now, rule.limit, rule.overflow ? 1 : 0, now],
  ];
}

const FREE = 'in_flight = max(in_flight - 1, 0)';
/** The update that settles one attempt, by outcome; `failure` takes `now` as a parameter. */
const SETTLE: Record<GateOutcome, string> = {
  success: `update login_gates set failures = 0, last_failure_at = null, ${FREE} where key = ?`,
  failure: `update login_gates set failures = failures + 1, last_failure_at = ?, ${FREE}
    where key = ?`,
  abandoned: `update login_gates set ${FREE} where key = ?`,
};
const GET = 'select * from login_gates where key = ?';

/**
 * A {@link LoginGateStore} that runs its queries on `db` (a database or a transaction), the
 * login path's through `runner`.
 */
export function sqliteLoginGates(db: Kysely<Database>, runner: SqlRunner): LoginGateStore {
  const get = async (key: string): Promise<LoginGate | null> =>
    (await runner.get<LoginGate>(GET, [key])) ?? null;
  return {
    async reserve(key, rule, now) {
      return (await runner.get(RESERVE, reserveParams(key, rule, now))) !== undefined;
    },

    async settle(key, outcome, now) {
      await runner.run(SETTLE[outcome], outcome === 'failure' ? [now, key] : [key]);
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

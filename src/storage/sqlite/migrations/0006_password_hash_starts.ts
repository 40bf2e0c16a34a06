/**
 * @module storage/sqlite/migrations/0006_password_hash_starts
 *
 * Users per connection and password-hash start (the part of a hash that holds its cost
 * parameters: `$2b$10$`, `$argon2id$v=19$m=19456,t=2,p=1$`), kept by triggers on `users` as
 * users are written, so that reading the counts (`UserStore.passwordHashProfiles`, every few
 * minutes for the decoy hashes, ADR 0019) costs a few rows instead of a `GROUP BY` over every
 * user: 0.65 s on the event loop for 500,000 users. Filled from the users already there.
 * A frozen snapshot like every migration.
 */
import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The start of the hash in `column` (`new.password_hash`, …), as SQL text: a bcrypt hash's first
 * 7 characters, an argon2 PHC string's up to `,p=` and two characters after it (p is at most 16;
 * `,p=` cannot occur in its base64 salt or hash). `hashProfile` reads each start.
 */
function startOf(column: string): string {
  return `case when ${column} like '$2_$%' then substr(${column}, 1, 7)
    else substr(${column}, 1, instr(${column}, ',p=') + 4) end`;
}

/** Adds one user to the count of (connection, start of hash) on the `row` (new or old). */
function countIn(row: 'new' | 'old'): string {
  return `insert into password_hash_starts (connection, start, users)
    values (${row}.connection, ${startOf(`${row}.password_hash`)}, 1)
    on conflict (connection, start) do update set users = users + 1;`;
}

/** Takes one user off that count; a count that reaches zero is removed. */
function countOut(row: 'new' | 'old'): string {
  const where = `connection = ${row}.connection and start = ${startOf(`${row}.password_hash`)}`;
  return `delete from password_hash_starts where users = 1 and ${where};
    update password_hash_starts set users = users - 1 where ${where};`;
}

const TRIGGERS = [
  `create trigger users_hash_start_insert after insert on users
    when new.password_hash is not null begin ${countIn('new')} end`,
  `create trigger users_hash_start_delete after delete on users
    when old.password_hash is not null begin ${countOut('old')} end`,
  `create trigger users_hash_start_update_out after update of password_hash, connection on users
    when old.password_hash is not null begin ${countOut('old')} end`,
  `create trigger users_hash_start_update_in after update of password_hash, connection on users
    when new.password_hash is not null begin ${countIn('new')} end`,
];

/** Creates `password_hash_starts`, fills it from `users` and keeps it up to date by triggers. */
export const passwordHashStarts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create table password_hash_starts (
      connection text not null,
      start text not null,
      users integer not null check (users > 0),
      primary key (connection, start)
    ) without rowid`.execute(db);
    await sql
      .raw(`insert into password_hash_starts (connection, start, users)
        select connection, ${startOf('password_hash')} as start, count(*) from users
        where password_hash is not null group by connection, start`)
      .execute(db);
    for (const trigger of TRIGGERS) await sql.raw(trigger).execute(db);
  },
};

/**
 * @module users-import/validate-users
 *
 * Checks every user of a parsed users file, and that no two users of the file share a
 * `user_id`, an email or a username (emails and usernames compared case-insensitively, as
 * logins are). Needs no storage.
 */
import { formatPath } from '../tenant/tenant-file-error.js';
import type { Problems } from './problems.js';
import { type ImportRow, validateRow } from './validate-row.js';

type Key = 'user_id' | 'email' | 'username';

function checkUnique(
  rows: readonly ImportRow[],
  field: Key,
  fold: (value: string) => string,
  problems: Problems,
): void {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const value = row[field];
    if (value === undefined) continue;
    const key = fold(value);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, row.index);
    else
      problems.add(
        [row.index, field],
        `duplicate ${field} (same as ${formatPath([first, field])})`,
      );
  }
}

/**
 * The valid rows of `users` (a parsed JSON array); every problem found goes to `problems`.
 * The rows are only usable when `problems` stayed empty.
 */
export function validateUsers(users: readonly unknown[], problems: Problems): ImportRow[] {
  const rows: ImportRow[] = [];
  users.forEach((value, index) => {
    const row = validateRow(value, index, problems);
    if (row) rows.push(row);
  });
  const lower = (value: string) => value.toLowerCase();
  checkUnique(rows, 'user_id', (value) => value, problems);
  checkUnique(rows, 'email', lower, problems);
  checkUnique(rows, 'username', lower, problems);
  return rows;
}

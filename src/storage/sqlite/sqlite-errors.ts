/**
 * @module storage/sqlite/sqlite-errors
 *
 * Turns SQLite uniqueness failures into the storage contract's {@link UniqueViolation}.
 */
import { UniqueViolation } from '../storage.js';

const uniqueCodes = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

/** Columns whose name differs from the record field they enforce. */
const fieldOfColumn: Readonly<Record<string, string>> = {
  email_lower: 'email',
  username_lower: 'username',
};

/**
 * The record field named by a better-sqlite3 error such as
 * `UNIQUE constraint failed: users.connection, users.email_lower`, or null when `error` is
 * not a uniqueness failure. The last column of a composite key is the field.
 */
export function uniqueFieldOf(error: unknown): string | null {
  if (!(error instanceof Error) || !('code' in error)) return null;
  if (typeof error.code !== 'string' || !uniqueCodes.has(error.code)) return null;
  const columns = error.message.split(':').pop() ?? '';
  const column = columns.split(',').pop()?.trim().split('.').pop() ?? 'key';
  return fieldOfColumn[column] ?? column;
}

/** Awaits `write`, rethrowing a uniqueness failure as {@link UniqueViolation}. */
export async function withUniqueViolation<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    const field = uniqueFieldOf(error);
    throw field === null ? error : new UniqueViolation(field);
  }
}

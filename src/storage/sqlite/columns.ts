/**
 * @module storage/sqlite/columns
 *
 * Conversions between record fields and SQLite column values: JSON text for arrays and
 * objects, 0/1 for booleans, and kysely's bigint row counts to numbers.
 */
import type { Flag } from './schema.js';

/** Serialises an array or object for a JSON text column. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

/** Parses a JSON text column; the column's owner vouches for the shape `T`. */
export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** A boolean as SQLite stores it. */
export function toFlag(value: boolean): Flag {
  return value ? 1 : 0;
}

/** A 0/1 column as a boolean. */
export function fromFlag(value: Flag): boolean {
  return value === 1;
}

/** A kysely row count (bigint, or undefined when the driver gives none) as a number. */
export function rowCount(count: bigint | undefined): number {
  return Number(count ?? 0n);
}

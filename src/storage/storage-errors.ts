/**
 * @module storage/storage-errors
 *
 * Which storage failures mean "the store cannot answer right now" rather than a bug: the
 * database is locked past its busy timeout, the disk is full, read-only or failing. The request
 * fails closed (no token) either way; these are answered 503 with `Retry-After` (DU-3), so a
 * client retries instead of reporting a server fault. One list per engine; SQLite's for now.
 */

/** SQLite result codes (and their extended forms, e.g. `SQLITE_IOERR_WRITE`) of an outage. */
const SQLITE_UNAVAILABLE = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_FULL',
  'SQLITE_IOERR',
  'SQLITE_READONLY',
  'SQLITE_CANTOPEN',
  'SQLITE_PROTOCOL',
];

/** The engine's code when `err` is a storage outage, else undefined. */
export function storageOutageCode(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : null;
  if (typeof code !== 'string') return undefined;
  return SQLITE_UNAVAILABLE.some((prefix) => code === prefix || code.startsWith(`${prefix}_`))
    ? code
    : undefined;
}

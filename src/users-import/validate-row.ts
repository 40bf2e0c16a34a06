/**
 * @module users-import/validate-row
 *
 * Checks one user of an Auth0 bulk-import file (Auth0's user JSON schema, closed: an unknown
 * field is an error, as Auth0 makes it) and turns it into an {@link ImportRow}. Every problem
 * of the row is reported, each naming its field: `[42].email: must be an email address`.
 */
import { USER_ID_SHAPE, USER_ID_STRATEGY, userIdProblem } from '../accounts/user-id.js';
import { usernameProblem } from '../accounts/username.js';
import type { PathSegment } from '../tenant/tenant-file-error.js';
import { bcryptHash, customHash } from './password-hash.js';
import type { Problems } from './problems.js';
import { describeValue, isObject } from './values.js';

/** A valid user of the file, with `user_id` already prefixed (`auth0|…`). */
export interface ImportRow {
  index: number;
  email: string;
  user_id?: string;
  username?: string;
  email_verified?: boolean;
  blocked?: boolean;
  given_name?: string;
  family_name?: string;
  name?: string;
  nickname?: string;
  picture?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  password_hash?: string;
}

const STRINGS = ['given_name', 'family_name', 'name', 'nickname', 'picture'] as const;
const BOOLEANS = ['email_verified', 'blocked'] as const;
const OBJECTS = ['app_metadata', 'user_metadata'] as const;
const OTHERS = ['email', 'user_id', 'username', 'password_hash', 'custom_password_hash'];
const KNOWN = new Set<string>([...STRINGS, ...BOOLEANS, ...OBJECTS, ...OTHERS]);

/** Fields of Auth0's schema that Latchkey does not import, and why. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  mfa_factors: 'MFA enrollments are not supported by Latchkey',
  phone_number: 'not supported for database connections by Latchkey',
  phone_verified: 'not supported for database connections by Latchkey',
};

const EMAIL = /^[^\s@]+@[^\s@]+$/;

type Check<T> = (value: unknown, path: PathSegment[], problems: Problems) => T | undefined;

function ofType<T>(type: 'string' | 'boolean' | 'object'): Check<T> {
  return (value, path, problems) => {
    const ok = type === 'object' ? isObject(value) : typeof value === type;
    if (ok) return value as T;
    return problems.add(path, `expected ${type}, got ${describeValue(value)}`);
  };
}

const text = ofType<string>('string');

const email: Check<string> = (value, path, problems) => {
  const given = text(value, path, problems);
  if (given === undefined) return undefined;
  return EMAIL.test(given) ? given : problems.add(path, 'must be an email address');
};

/** Auth0 prefixes the strategy: `123` → `auth0|123`; `auth0|123` is kept as is. */
const userId: Check<string> = (value, path, problems) => {
  const given = text(value, path, problems);
  if (given === undefined) return undefined;
  if (given === '') return problems.add(path, 'must not be empty');
  const id = given.includes('|') ? given : `${USER_ID_STRATEGY}|${given}`;
  const problem = userIdProblem(id);
  if (problem === undefined) return id;
  return problems.add(
    path,
    problem === USER_ID_SHAPE
      ? `must be <id> or ${USER_ID_STRATEGY}|<id>, where <id> has no "|"`
      : problem,
  );
};

const username: Check<string> = (value, path, problems) => {
  const given = text(value, path, problems);
  if (given === undefined) return undefined;
  const problem = usernameProblem(given);
  return problem === undefined ? given : problems.add(path, problem);
};

const CHECKS: Readonly<Record<string, Check<unknown>>> = {
  email,
  user_id: userId,
  username,
  password_hash: bcryptHash,
  custom_password_hash: customHash,
  ...Object.fromEntries(STRINGS.map((field) => [field, text])),
  ...Object.fromEntries(BOOLEANS.map((field) => [field, ofType<boolean>('boolean')])),
  ...Object.fromEntries(OBJECTS.map((field) => [field, ofType<object>('object')])),
};

/** Known fields of `row` after their checks; unknown fields reported. */
function checkedFields(
  row: Record<string, unknown>,
  index: number,
  problems: Problems,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(row)) {
    const path = [index, field];
    if (!KNOWN.has(field)) {
      problems.add(
        path,
        (Object.hasOwn(UNSUPPORTED, field) && UNSUPPORTED[field]) || 'unknown field',
      );
      continue;
    }
    const checked = CHECKS[field]!(value, path, problems);
    if (checked !== undefined) out[field] = checked;
  }
  return out;
}

/**
 * Checks the `index`-th user of the file; adds every problem of it to `problems` and returns
 * the row only when it has none.
 */
export function validateRow(
  value: unknown,
  index: number,
  problems: Problems,
): ImportRow | undefined {
  if (!isObject(value)) {
    return problems.add([index], `expected a user object, got ${describeValue(value)}`);
  }
  const before = problems.size;
  const fields = checkedFields(value, index, problems);
  if (value.email === undefined) problems.add([index, 'email'], 'missing required field');
  if (value.password_hash !== undefined && value.custom_password_hash !== undefined) {
    problems.add(
      [index, 'custom_password_hash'],
      'give either password_hash or custom_password_hash, not both',
    );
  }
  if (problems.size > before) return undefined;
  const { custom_password_hash: custom, ...rest } = fields;
  const row = { ...rest, index } as ImportRow;
  if (typeof custom === 'string') row.password_hash = custom;
  return row;
}

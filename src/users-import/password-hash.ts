/**
 * @module users-import/password-hash
 *
 * The password of an imported user: Auth0's `password_hash` (bcrypt) or its
 * `custom_password_hash` object, of which Latchkey takes the two algorithms it can verify,
 * `bcrypt` and `argon2` (PHC string, any variant). The hash is stored as given; bcrypt and
 * weaker argon2 hashes are replaced by argon2id at the user's first successful login.
 */
import { hashCostProblem } from '../accounts/hash-cost.js';
import { hashFamily } from '../accounts/password-hasher.js';
import type { PathSegment } from '../tenant/tenant-file-error.js';
import { ARGON2_PHC } from '../tenant/tenant-rules.js';
import type { Problems } from './problems.js';
import { describeValue, isObject } from './values.js';

/** Every algorithm Auth0 names in `custom_password_hash.algorithm`. */
const AUTH0_ALGORITHMS = [
  'argon2',
  'bcrypt',
  'hmac',
  'ldap',
  'md4',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'pbkdf2',
  'scrypt',
];

/** Members of `custom_password_hash` (and of its `hash`) that only other algorithms use. */
const OTHER_ALGORITHMS_ONLY = new Set(['salt', 'password', 'keylen', 'digest', 'key']);

const BCRYPT_PROBLEM =
  'must be a bcrypt hash ($2a$, $2b$ or $2y$, a cost from 04 to 31, 53 characters after it)';
const ARGON2_PROBLEM = 'must be an argon2 PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)';

/** `hash`, or undefined after a problem when one login could not afford its cost. */
function affordable(hash: string, path: PathSegment[], problems: Problems): string | undefined {
  const costly = hashCostProblem(hash);
  return costly === undefined ? hash : problems.add(path, costly);
}

/** The bcrypt `password_hash` at `path`, or undefined after adding a problem. */
export function bcryptHash(
  value: unknown,
  path: PathSegment[],
  problems: Problems,
): string | undefined {
  if (typeof value !== 'string') return typeOf(value, 'string', path, problems);
  if (hashFamily(value) !== 'bcrypt') return problems.add(path, BCRYPT_PROBLEM);
  return affordable(value, path, problems);
}

function typeOf(
  value: unknown,
  expected: string,
  path: PathSegment[],
  problems: Problems,
): undefined {
  return problems.add(path, `expected ${expected}, got ${describeValue(value)}`);
}

/** Reports members of `object` that are not in `known` (or that other algorithms use). */
function checkMembers(
  object: Record<string, unknown>,
  known: readonly string[],
  algorithm: string,
  path: PathSegment[],
  problems: Problems,
): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    problems.add(
      [...path, key],
      OTHER_ALGORITHMS_ONLY.has(key)
        ? `not used with algorithm "${algorithm}" (the hash string holds its salt and parameters)`
        : 'unknown field',
    );
  }
}

function algorithmOf(
  value: Record<string, unknown>,
  path: PathSegment[],
  problems: Problems,
): 'bcrypt' | 'argon2' | undefined {
  const at = [...path, 'algorithm'];
  const { algorithm } = value;
  if (algorithm === undefined) return problems.add(at, 'missing required field');
  if (typeof algorithm !== 'string') return typeOf(algorithm, 'string', at, problems);
  if (algorithm === 'bcrypt' || algorithm === 'argon2') return algorithm;
  return problems.add(
    at,
    AUTH0_ALGORITHMS.includes(algorithm)
      ? `"${algorithm}" is not supported; Latchkey imports "bcrypt" and "argon2" hashes only`
      : `unknown algorithm "${algorithm}"; Latchkey imports "bcrypt" and "argon2" hashes only`,
  );
}

function hashValueOf(
  hash: unknown,
  algorithm: 'bcrypt' | 'argon2',
  path: PathSegment[],
  problems: Problems,
): string | undefined {
  if (hash === undefined) return problems.add(path, 'missing required field');
  if (!isObject(hash)) return typeOf(hash, 'object', path, problems);
  checkMembers(hash, ['value', 'encoding'], algorithm, path, problems);
  if (hash.encoding !== undefined && hash.encoding !== 'utf8') {
    problems.add([...path, 'encoding'], `must be "utf8" for ${algorithm} (a PHC or bcrypt string)`);
  }
  const at = [...path, 'value'];
  if (hash.value === undefined) return problems.add(at, 'missing required field');
  if (algorithm === 'bcrypt') return bcryptHash(hash.value, at, problems);
  if (typeof hash.value !== 'string') return typeOf(hash.value, 'string', at, problems);
  if (!ARGON2_PHC.test(hash.value)) return problems.add(at, ARGON2_PROBLEM);
  return affordable(hash.value, at, problems);
}

/** The hash in a `custom_password_hash` object at `path`, or undefined after problems. */
export function customHash(
  value: unknown,
  path: PathSegment[],
  problems: Problems,
): string | undefined {
  if (!isObject(value)) return typeOf(value, 'object', path, problems);
  const algorithm = algorithmOf(value, path, problems);
  if (algorithm === undefined) return undefined;
  checkMembers(value, ['algorithm', 'hash'], algorithm, path, problems);
  return hashValueOf(value.hash, algorithm, [...path, 'hash'], problems);
}

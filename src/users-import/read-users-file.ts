/**
 * @module users-import/read-users-file
 *
 * Reads an Auth0 bulk-import users file: JSON whose top level is an array of users. (An Auth0
 * export is NDJSON; wrap its lines in `[ … ]` with commas first, as Auth0's own import needs.)
 */
import { describeJsonError, duplicateKey } from '../shared/json-syntax.js';
import { pathStart, pathTooDeep, TOO_DEEP } from '../shared/nesting-depth.js';
import { readProblem, readTextCapped } from '../shared/read-capped.js';
import { formatPath } from '../tenant/tenant-file-error.js';
import { UsersImportError } from './problems.js';
import { describeValue } from './values.js';

/**
 * The largest users file read: an import peaks at ~17 × the file's size in memory (a 42 MB file
 * of 200,000 users: 718 MB), so a file of a few hundred MB would exhaust the heap and crash.
 */
export const MAX_USERS_FILE_BYTES = 128 * 1024 * 1024;

async function readUsersText(path: string): Promise<string> {
  try {
    return (await readTextCapped(path, MAX_USERS_FILE_BYTES)).replace(/^\uFEFF/, '');
  } catch (error) {
    throw UsersImportError.ofFile(path, readProblem(error, 'split it into several imports'));
  }
}

/** The users of the file at `path`; throws {@link UsersImportError} naming the file. */
export async function readUsersFile(path: string): Promise<unknown[]> {
  const text = await readUsersText(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const first = describeJsonError(error, text);
    const hint = text.trimStart().startsWith('{')
      ? ' (one JSON object per line? wrap them in [ ])'
      : '';
    throw UsersImportError.ofFile(path, `invalid JSON: ${first}${hint}`);
  }
  const deep = pathTooDeep(parsed);
  if (deep) throw UsersImportError.ofFile(path, `${formatPath(pathStart(deep))}: ${TOO_DEEP}`);
  const twice = duplicateKey(text); // after the depth check: the scanner recurses
  if (twice !== null) throw UsersImportError.ofFile(path, `invalid JSON: ${twice}`);
  if (!Array.isArray(parsed)) {
    throw UsersImportError.ofFile(
      path,
      `expected an array of users at the top level, got ${describeValue(parsed)}`,
    );
  }
  return parsed;
}

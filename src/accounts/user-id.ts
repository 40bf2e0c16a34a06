/**
 * @module accounts/user-id
 *
 * What a user's `user_id` may be, wherever users come from (a tenant file or a users import):
 * `auth0|<id>`, the strategy of a database connection, then an `<id>` that is not empty and has
 * no `|` (Auth0 splits the two at it) and no control characters, 255 characters in all at most.
 */

/** The strategy of a database connection, the prefix of its users' ids. */
export const USER_ID_STRATEGY = 'auth0';

/** Longest `user_id` taken, prefix included. */
export const MAX_USER_ID_LENGTH = 255;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The problem of an id that is not `auth0|` and one more part. */
export const USER_ID_SHAPE = `must be ${USER_ID_STRATEGY}|<id>, where <id> has no "|"`;

/** What is wrong with a full `user_id` (`auth0|<id>`), or undefined when it is acceptable. */
export function userIdProblem(userId: string): string | undefined {
  const prefix = `${USER_ID_STRATEGY}|`;
  const id = userId.startsWith(prefix) ? userId.slice(prefix.length) : null;
  if (id === null || id.includes('|')) return USER_ID_SHAPE;
  if (id === '') return 'must not be empty';
  if (userId.length > MAX_USER_ID_LENGTH) {
    return `must be at most ${MAX_USER_ID_LENGTH} characters`;
  }
  return CONTROL.test(id) ? 'must not contain control characters' : undefined;
}

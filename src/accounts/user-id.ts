/**
 * @module accounts/user-id
 *
 * What a user's `user_id` may be, wherever users come from (a tenant file or a users import):
 * `auth0|<id>`, the strategy of a database connection, then an `<id>` that is not empty and has
 * no `|` (Auth0 splits the two at it), 255 characters (code points) in all at most. The `<id>`
 * is text a token carries as `sub`: no whitespace, control or invisible formatting characters
 * (a bidi override, a zero-width space), and well-formed UTF-16 (a lone surrogate would be
 * stored as U+FFFD, and two such users would share one `sub`).
 */

/** The strategy of a database connection, the prefix of its users' ids. */
export const USER_ID_STRATEGY = 'auth0';

/** Longest `user_id` taken, prefix included. */
export const MAX_USER_ID_LENGTH = 255;

/** In a `u` regex a surrogate pair is one code point: only a lone surrogate is `\p{Cs}`. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Whitespace, control, format (bidi, zero-width) and line/paragraph separator characters. */
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** The problem of an id that is not `auth0|` and one more part. */
export const USER_ID_SHAPE = `must be ${USER_ID_STRATEGY}|<id>, where <id> has no "|"`;

/** What is wrong with a full `user_id` (`auth0|<id>`), or undefined when it is acceptable. */
export function userIdProblem(userId: string): string | undefined {
  const prefix = `${USER_ID_STRATEGY}|`;
  const id = userId.startsWith(prefix) ? userId.slice(prefix.length) : null;
  if (id === null || id.includes('|')) return USER_ID_SHAPE;
  if (id === '') return 'must not be empty';
  if (LONE_SURROGATE.test(userId)) return 'must be well-formed Unicode (no lone surrogates)';
  if ([...userId].length > MAX_USER_ID_LENGTH) {
    return `must be at most ${MAX_USER_ID_LENGTH} characters`;
  }
  return INVISIBLE.test(id)
    ? 'must not contain whitespace, control or invisible formatting characters'
    : undefined;
}

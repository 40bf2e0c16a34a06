/**
 * @module accounts/username
 *
 * What a username of a database connection may be, wherever users come from (a tenant file or a
 * users import): Auth0 allows at most 128 characters and no whitespace.
 */

/** Longest username Auth0 allows. */
export const MAX_USERNAME_LENGTH = 128;

/** What is wrong with `username`, or undefined when it is acceptable. */
export function usernameProblem(username: string): string | undefined {
  if (username === '') return 'must not be empty';
  if (username.length > MAX_USERNAME_LENGTH) {
    return `must be at most ${MAX_USERNAME_LENGTH} characters`;
  }
  return /\s/.test(username) ? 'must not contain spaces' : undefined;
}

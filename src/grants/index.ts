/**
 * @module grants
 *
 * The built-in grants, in the order the registry lists them.
 */
import type { GrantHandler } from './grant-handler.js';
import { passwordGrant } from './password/password.grant.js';
import { passwordRealmGrant } from './password-realm/password-realm.grant.js';

export const builtInGrants: ReadonlyArray<GrantHandler<unknown>> = [
  passwordGrant,
  passwordRealmGrant,
];

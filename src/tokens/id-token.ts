/**
 * @module tokens/id-token
 *
 * ID token claims: `iss`, `sub`, `aud` (the client id), `iat`, `exp`, then the profile claims
 * when `profile` was granted and `email`/`email_verified` when `email` was granted. Claims
 * without a value are left out. The same claim sets serve `/userinfo`.
 */
import type { User } from '../storage/models.js';

export type Claims = Record<string, string | number | boolean | string[]>;

function defined(entries: Array<[string, string | boolean | null | undefined]>): Claims {
  const claims: Claims = {};
  for (const [name, value] of entries)
    if (value !== null && value !== undefined) claims[name] = value;
  return claims;
}

/** Profile and email claims allowed by `scopes` (Auth0 fills name/nickname from the email). */
export function userClaims(user: User, scopes: readonly string[]): Claims {
  const claims: Claims = { sub: user.user_id };
  if (scopes.includes('profile')) {
    Object.assign(
      claims,
      defined([
        ['name', user.name ?? user.email ?? user.username],
        ['given_name', user.given_name],
        ['family_name', user.family_name],
        ['nickname', user.nickname ?? user.username ?? user.email?.split('@')[0]],
        ['picture', user.picture],
        ['updated_at', user.updated_at],
      ]),
    );
  }
  if (scopes.includes('email') && user.email !== null) {
    Object.assign(claims, { email: user.email, email_verified: user.email_verified });
  }
  return claims;
}

export interface IdTokenInput {
  issuer: string;
  clientId: string;
  user: User;
  scopes: readonly string[];
  /** Epoch seconds. */
  now: number;
  lifetime: number;
  /** Authentication methods references (OIDC Core §2), e.g. `["mfa"]`; omitted when absent. */
  amr?: readonly string[];
}

export function idTokenClaims(input: IdTokenInput): Claims {
  return {
    iss: input.issuer,
    ...userClaims(input.user, input.scopes),
    aud: input.clientId,
    iat: input.now,
    exp: input.now + input.lifetime,
    ...(input.amr ? { amr: [...input.amr] } : {}),
  };
}

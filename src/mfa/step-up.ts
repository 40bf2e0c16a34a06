/**
 * @module mfa/step-up
 *
 * The MFA decision of the password grants, made after the password verified (so
 * `mfa_required` is never an enumeration oracle, MF-1): when MFA applies the grant answers
 * 403 `mfa_required` with an `mfa_token` and `mfa_requirements` — `challenge` with the types
 * the user has enrolled, or `enroll` with the factors the tenant offers when none is.
 */
import { OAuthError } from '../errors/oauth-error.js';
import { audit } from '../events/audit.js';
import type { GrantContext } from '../grants/grant-handler.js';
import type { UserGrant } from '../grants/shared/issue-tokens.js';
import type { Connection, GuardianFactorName, GuardianSettings } from '../storage/models.js';
import { activeAuthenticators } from './authenticators.js';
import { createMfaToken } from './mfa-token.js';
import { factorEnabled, mfaApplies } from './policy.js';

type Requirements = { challenge: Array<{ type: string }> } | { enroll: Array<{ type: string }> };

/** Factors in the order `mfa_requirements` lists them. */
const FACTORS: readonly GuardianFactorName[] = ['otp', 'email', 'recovery-code'];
const ENROLLABLE: readonly GuardianFactorName[] = ['otp', 'email'];

async function requirements(
  ctx: GrantContext,
  settings: GuardianSettings,
  userId: string,
): Promise<Requirements> {
  const active = new Set((await activeAuthenticators(ctx.provider, userId)).map((a) => a.type));
  const enrolled = FACTORS.filter((type) => active.has(type) && factorEnabled(settings, type));
  if (enrolled.length > 0) return { challenge: enrolled.map((type) => ({ type })) };
  return { enroll: ENROLLABLE.filter((f) => factorEnabled(settings, f)).map((type) => ({ type })) };
}

/** Throws `mfa_required` when the tenant, connection or user policy asks for MFA. */
export async function requireMfaWhenApplicable(
  ctx: GrantContext,
  connection: Connection,
  grant: UserGrant,
): Promise<void> {
  const settings = await ctx.provider.storage.guardian.get();
  if (!mfaApplies(settings, connection, grant.user)) return;
  const mfaToken = await createMfaToken(ctx.provider, {
    userId: grant.user.user_id,
    clientId: grant.client.client_id,
    audience: grant.api?.identifier ?? null,
    scopes: grant.scopes,
    gty: grant.gty,
    jkt: ctx.proof?.jkt ?? null,
  });
  audit(ctx.provider, {
    type: 'mfar',
    description: 'Multifactor authentication required',
    client_id: grant.client.client_id,
    user_id: grant.user.user_id,
    connection: connection.name,
    ip: ctx.request.ip,
    grant_type: ctx.grantType,
  });
  throw new OAuthError('mfa_required', {
    extra: {
      mfa_token: mfaToken,
      mfa_requirements: await requirements(ctx, settings, grant.user.user_id),
    },
  });
}

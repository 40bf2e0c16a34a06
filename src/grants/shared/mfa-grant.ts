/**
 * @module grants/shared/mfa-grant
 *
 * What the three MFA grants share: redeem the `mfa_token` (issued to this client, same DPoP
 * key), refuse a user blocked since by brute-force protection (AU-5), check the factor is enabled, rebuild the password grant it stands for (same API,
 * scopes and `gty`, plus `amr: ["mfa"]`), and, once the factor verified, consume the token,
 * activate a new enrolment and issue exactly what the password grant would have.
 */
import { refuseBlockedUser } from '../../attack-protection/login-guard.js';
import { OAuthError } from '../../errors/oauth-error.js';
import type { AuditEventType } from '../../events/audit.js';
import { activateEnrolment } from '../../mfa/authenticators.js';
import { redeemMfaToken } from '../../mfa/mfa-token.js';
import { factorEnabled } from '../../mfa/policy.js';
import { sha256 } from '../../shared/crypto.js';
import { requireParam } from '../../shared/params.js';
import type { GuardianFactorName, MfaAuthenticator, User } from '../../storage/models.js';
import type { GrantContext, TokenResponse } from '../grant-handler.js';
import { issueTokens, type UserGrant } from './issue-tokens.js';
import { startRefreshFamily } from './refresh-family.js';

/** A redeemed `mfa_token` as a grant sees it. */
export interface MfaAttempt {
  tokenHash: string;
  user: User;
  grant: UserGrant;
}

/** A verified factor, ready for {@link completeMfa}. */
export interface MfaVerified extends MfaAttempt {
  authenticator: MfaAuthenticator;
}

/** Redeems the request's `mfa_token` for `factor`; `successEvent` is logged when tokens issue. */
export async function startMfaAttempt(
  ctx: GrantContext,
  factor: GuardianFactorName,
  successEvent: AuditEventType,
): Promise<MfaAttempt> {
  const value = requireParam(ctx.request.params, 'mfa_token');
  const { provider } = ctx;
  const { record, user } = await redeemMfaToken(provider, value, {
    clientId: ctx.client.client_id,
    jkt: ctx.proof?.jkt,
  });
  await refuseBlockedUser(ctx, user);
  if (!factorEnabled(await provider.storage.guardian.get(), factor))
    throw new OAuthError('factor_not_enabled', { params: { factor } });
  const api =
    record.audience === null
      ? null
      : await provider.storage.resourceServers.getByIdentifier(record.audience);
  if (record.audience !== null && api === null)
    throw new OAuthError('mfa_token_malformed', { detail: 'API of the mfa_token is gone' });
  const grant: UserGrant = {
    client: ctx.client,
    user,
    api,
    scopes: record.scope.split(' ').filter((s) => s !== ''),
    gty: record.gty,
    successEvent,
    amr: ['mfa'],
  };
  return { tokenHash: record.token_hash, user, grant };
}

/**
 * Consumes the `mfa_token` (once only), runs `beforeIssue` (a factor's own consumption),
 * activates a new enrolment and issues the tokens.
 */
export async function completeMfa(
  ctx: GrantContext,
  verified: MfaVerified,
  beforeIssue: () => Promise<void> = async () => {},
): Promise<TokenResponse> {
  const { provider } = ctx;
  if (!(await provider.storage.mfaTokens.consume(verified.tokenHash)))
    throw new OAuthError('mfa_token_malformed', { detail: 'mfa_token used concurrently' });
  await beforeIssue();
  await activateEnrolment(provider, verified.authenticator);
  return issueTokens(ctx, verified.grant, await startRefreshFamily(ctx, verified.grant));
}

/** The user's authenticators of `type` (active or still enrolling). */
export async function authenticatorsOf(
  ctx: GrantContext,
  user: User,
  type: GuardianFactorName,
): Promise<MfaAuthenticator[]> {
  return (await ctx.provider.storage.authenticators.listByUser(user.user_id)).filter(
    (a) => a.type === type,
  );
}

/** SHA-256 of a request parameter, for looking up hashed codes. */
export function hashParam(ctx: GrantContext, name: string): string {
  return sha256(requireParam(ctx.request.params, name));
}

/**
 * Shared pieces of the MFA tests: a tenant with MFA on, and helpers that speak the MFA API
 * over real HTTP, compute TOTP codes with the `otpauth` library and read the dev outbox.
 */
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import type { Clock } from '../../src/shared/clock.js';
import { ALICE, API, baseTenant, DB, SECRET } from '../helpers/fixtures.js';
import { readResponse, type TestResponse, type TestServer } from '../helpers/server.js';

export const MFA_OTP = 'http://auth0.com/oauth/grant-type/mfa-otp';
export const MFA_OOB = 'http://auth0.com/oauth/grant-type/mfa-oob';
export const MFA_RECOVERY = 'http://auth0.com/oauth/grant-type/mfa-recovery-code';
export const MFA_GRANTS = [MFA_OTP, MFA_OOB, MFA_RECOVERY];

export const MALFORMED = { error: 'invalid_grant', error_description: 'Malformed mfa_token' };
export const EXPIRED = { error: 'expired_token', error_description: 'mfa_token is expired' };
export const INVALID_OTP = { error: 'invalid_grant', error_description: 'Invalid otp_code.' };

export const ALL_FACTORS = [
  { name: 'otp', enabled: true },
  { name: 'email', enabled: true },
  { name: 'recovery-code', enabled: true },
];

/** The base tenant with MFA for all applications and `backend`/`cli` allowed the MFA grants. */
export function mfaTenant(guardian: object = {}): Record<string, unknown> {
  const { tenant } = baseTenant();
  for (const client of tenant.clients as Array<{ client_id: string; grant_types?: string[] }>) {
    if (client.client_id === 'backend' || client.client_id === 'cli')
      client.grant_types = [...(client.grant_types ?? []), ...MFA_GRANTS];
  }
  tenant.guardian = { policies: ['all-applications'], factors: ALL_FACTORS, ...guardian };
  return tenant;
}

export const BACKEND = { client_id: 'backend', client_secret: SECRET };

/** A password-grant request for Alice through `backend`. */
export function loginAlice(server: TestServer, extra: Record<string, string> = {}) {
  return server.token({
    grant_type: 'password',
    username: ALICE.email,
    password: ALICE.password,
    audience: API,
    scope: 'openid profile offline_access read:messages',
    ...BACKEND,
    ...extra,
  });
}

/** Logs Alice in and returns the `mfa_token` of the `mfa_required` answer. */
export async function mfaTokenForAlice(server: TestServer): Promise<string> {
  const res = await loginAlice(server);
  assert.equal(res.status, 403, JSON.stringify(res.body));
  assert.equal(res.body.error, 'mfa_required');
  return String(res.body.mfa_token);
}

/** A call to the MFA API with `bearer` (an `mfa_token`). */
export async function mfaApi(
  server: TestServer,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  bearer: string | null,
  body?: object,
): Promise<TestResponse> {
  const headers: Record<string, string> = {};
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  return readResponse(response);
}

/** The TOTP code of `secret` at `clock`'s time plus `offsetSteps` 30-second steps. */
export function totp(secret: string, clock: Clock, offsetSteps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({
    timestamp: clock.now() + offsetSteps * 30_000,
  });
}

/** The 6-digit code in the newest outbox message to `to`. */
export async function lastEmailedCode(server: TestServer, to: string): Promise<string> {
  const messages = await server.storage.outbox.list(to);
  const text = messages.at(-1)?.text ?? '';
  const code = /\b(\d{6})\b/.exec(text)?.[1];
  assert.ok(code, `no code mailed to ${to}`);
  return code;
}

/** Claims of the ID token in a token response. */
export function idTokenClaims(body: Record<string, unknown>): Record<string, unknown> {
  return decodeJwt(String(body.id_token));
}

export { ALICE, API, DB, SECRET };

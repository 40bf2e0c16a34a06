/**
 * When MFA applies (tenant policy, connection override, user flag), which factors are on,
 * removing authenticators, discovery, and the DPoP binding of an mfa_token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { createMfaToken } from '../../src/mfa/mfa-token.js';
import { TestClock } from '../helpers/clock.js';
import { ALICE_ID, CAROL, DAVE, EMPLOYEES, PASSWORD_REALM } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  ALICE,
  API,
  BACKEND,
  DB,
  loginAlice,
  MALFORMED,
  MFA_OTP,
  mfaApi,
  mfaTenant,
  mfaTokenForAlice,
} from './support.js';

type Tenant = Record<string, unknown>;
type FileConnection = { name: string; options?: Record<string, unknown> };
type FileUser = { email?: string; app_metadata?: Record<string, unknown> };

function connection(tenant: Tenant, name: string): FileConnection {
  const found = (tenant.connections as FileConnection[]).find((c) => c.name === name);
  assert.ok(found);
  return found;
}

function user(tenant: Tenant, email: string): FileUser {
  const found = (tenant.users as FileUser[]).find((u) => u.email === email);
  assert.ok(found);
  return found;
}

const ERIN = { email: 'erin@example.com', password: 'erin-password-123' };

function login(server: TestServer, who: { email: string; password: string }, realm?: string) {
  const grant: Record<string, string> = realm
    ? { grant_type: PASSWORD_REALM, realm }
    : { grant_type: 'password' };
  return server.token({
    ...grant,
    username: who.email,
    password: who.password,
    audience: API,
    scope: 'openid read:messages',
    ...BACKEND,
  });
}

describe('MFA policy: tenant all-applications with overrides', () => {
  let server: TestServer;
  before(async () => {
    const tenant = mfaTenant();
    connection(tenant, DB).options = { mfa: { active: false } };
    user(tenant, DAVE.email).app_metadata = { mfa_required: true };
    (tenant.users as unknown[]).push({
      connection: EMPLOYEES,
      ...ERIN,
      app_metadata: { mfa_required: false },
    });
    server = await startTestServer(tenant);
  });
  after(() => server.close());

  it('skips MFA for a connection with options.mfa.active false', async () => {
    const res = await login(server, ALICE);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(decodeJwt(String(res.body.id_token)).amr, undefined, 'no amr without MFA');
  });

  it('asks MFA of a user flagged mfa_required even there', async () => {
    const res = await login(server, DAVE);
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'mfa_required');
  });

  it('asks MFA by tenant policy, unless the user is flagged mfa_required false', async () => {
    assert.equal((await login(server, CAROL, EMPLOYEES)).body.error, 'mfa_required');
    assert.equal((await login(server, ERIN, EMPLOYEES)).status, 200);
  });

  it('exports the guardian section and the connection override', async () => {
    const { exportTenant } = await import('../../src/tenant/export-tenant.js');
    const file = await exportTenant(server.storage);
    assert.deepEqual(file.guardian?.policies, ['all-applications']);
    const db = file.connections?.find((c) => c.name === DB);
    assert.deepEqual(db?.options?.mfa, { active: false, required: false });
  });
});

describe('MFA policy: tenant never, connection required, factors limited', () => {
  let server: TestServer;
  const clock = new TestClock();
  before(async () => {
    const tenant = mfaTenant({ policies: [], factors: [{ name: 'email', enabled: true }] });
    connection(tenant, EMPLOYEES).options = { mfa: { required: true } };
    user(tenant, ALICE.email).app_metadata = {};
    server = await startTestServer(tenant, { clock });
  });
  after(() => server.close());

  it('issues tokens without MFA under the never policy', async () => {
    assert.equal((await login(server, ALICE)).status, 200);
  });

  it('asks MFA for a connection with options.mfa.required, offering only enabled factors', async () => {
    const res = await login(server, CAROL, EMPLOYEES);
    assert.equal(res.status, 403);
    assert.deepEqual(res.body.mfa_requirements, { enroll: [{ type: 'email' }] });
    const mfaToken = String(res.body.mfa_token);
    const otp = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['otp'],
    });
    assert.equal(otp.status, 400);
    assert.deepEqual(otp.body, {
      error: 'invalid_request',
      error_description: 'The otp factor is not enabled',
    });
    const grant = await server.token({
      grant_type: MFA_OTP,
      mfa_token: mfaToken,
      otp: '123456',
      ...BACKEND,
    });
    assert.deepEqual(grant.body, {
      error: 'invalid_request',
      error_description: 'The otp factor is not enabled',
    });
    const email = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['oob'],
      oob_channels: ['email'],
    });
    assert.equal(email.status, 200);
    assert.equal(email.body.recovery_codes, undefined, 'no recovery codes when the factor is off');
  });

  it('removes a pending authenticator, never an active one, and 404s an unknown one', async () => {
    const mfaToken = String((await login(server, CAROL, EMPLOYEES)).body.mfa_token);
    const listed = await mfaApi(server, 'GET', '/mfa/authenticators', mfaToken);
    const [pending] = listed.body as unknown as Array<{ id: string; active: boolean }>;
    assert.equal(pending?.active, false);
    const path = `/mfa/authenticators/${encodeURIComponent(pending?.id ?? '')}`;
    const removed = await mfaApi(server, 'DELETE', path, mfaToken);
    assert.equal(removed.status, 204);
    assert.equal((await mfaApi(server, 'DELETE', path, mfaToken)).status, 404);
    const after = await mfaApi(server, 'GET', '/mfa/authenticators', mfaToken);
    assert.deepEqual(after.body, []);

    const [active] = await server.storage.authenticators.listByUser(ALICE_ID);
    assert.equal(active, undefined);
    const aliceToken = await createMfaToken(server.provider, {
      userId: ALICE_ID,
      clientId: 'backend',
      audience: null,
      scopes: ['openid'],
      gty: 'password',
      jkt: null,
    });
    const id = 'email|dev_active';
    await server.storage.authenticators.insert({
      id,
      user_id: ALICE_ID,
      type: 'email',
      active: true,
      otp_secret_sealed: null,
      email: ALICE.email,
      recovery_code_hash: null,
      created_at: new Date().toISOString(),
    });
    const refused = await mfaApi(
      server,
      'DELETE',
      `/mfa/authenticators/${encodeURIComponent(id)}`,
      aliceToken,
    );
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.body, {
      error: 'access_denied',
      error_description: 'An active authenticator cannot be removed with an mfa_token',
    });
    const others = await mfaApi(
      server,
      'DELETE',
      `/mfa/authenticators/${encodeURIComponent(id)}`,
      mfaToken,
    );
    assert.equal(others.status, 404, "another user's authenticator is not found");
  });

  it('binds an mfa_token to the DPoP key of the password request', async () => {
    const bound = await createMfaToken(server.provider, {
      userId: ALICE_ID,
      clientId: 'backend',
      audience: null,
      scopes: ['openid'],
      gty: 'password',
      jkt: 'thumbprint-of-the-password-request-key',
    });
    const res = await server.token({
      grant_type: 'http://auth0.com/oauth/grant-type/mfa-oob',
      mfa_token: bound,
      oob_code: 'x',
      binding_code: '123456',
      ...BACKEND,
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'invalid_grant',
      error_description: 'mfa_token is bound to another DPoP key',
    });
  });
});

describe('MFA discovery and tenant-less defaults', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(mfaTenant());
  });
  after(() => server.close());

  it('advertises mfa_challenge_endpoint and the MFA grant types', async () => {
    const res = await fetch(`${server.url}/.well-known/openid-configuration`);
    const doc = (await res.json()) as Record<string, unknown>;
    assert.equal(doc.mfa_challenge_endpoint, `${server.issuer}mfa/challenge`);
    const grants = doc.grant_types_supported as string[];
    for (const g of ['mfa-otp', 'mfa-oob', 'mfa-recovery-code'])
      assert.ok(grants.includes(`http://auth0.com/oauth/grant-type/${g}`), g);
  });

  it('a blocked user never reaches MFA; an mfa_token of a user blocked since is refused', async () => {
    const mfaToken = await mfaTokenForAlice(server);
    const alice = await server.storage.users.get(ALICE_ID);
    assert.ok(alice);
    await server.storage.users.upsert({ ...alice, blocked: true });
    const res = await mfaApi(server, 'GET', '/mfa/authenticators', mfaToken);
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'unauthorized', error_description: 'user is blocked' });
    await server.storage.users.upsert({ ...alice, blocked: false });
    assert.equal((await loginAlice(server)).body.error, 'mfa_required');
    assert.deepEqual((await mfaApi(server, 'GET', '/mfa/authenticators', 'x.y')).body, MALFORMED);
  });
});

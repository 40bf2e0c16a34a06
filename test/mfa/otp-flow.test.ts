/**
 * The OTP factor end to end over real HTTP: password → mfa_required (enroll) → associate →
 * first code (activates) → tokens → next login → mfa_required (challenge) → /mfa/challenge →
 * code → tokens; and every way an OTP or an mfa_token is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import { TestClock } from '../helpers/clock.js';
import { ALICE_ID } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  ALICE,
  API,
  BACKEND,
  EXPIRED,
  INVALID_OTP,
  idTokenClaims,
  loginAlice,
  MALFORMED,
  MFA_OTP,
  mfaApi,
  mfaTenant,
  mfaTokenForAlice,
  totp,
} from './support.js';

describe('MFA with OTP', () => {
  let server: TestServer;
  const clock = new TestClock(Date.UTC(2026, 10, 27, 10, 0, 0));
  let secret = '';
  let recoveryCode = '';

  before(async () => {
    server = await startTestServer(mfaTenant(), { clock });
  });
  after(() => server.close());

  const otpGrant = (mfaToken: string, otp: string, extra: Record<string, string> = {}) =>
    server.token({ grant_type: MFA_OTP, mfa_token: mfaToken, otp, ...BACKEND, ...extra });

  it('answers a right password with 403 mfa_required, an mfa_token and what to enrol', async () => {
    const res = await loginAlice(server);
    assert.equal(res.status, 403);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'error',
      'error_description',
      'mfa_requirements',
      'mfa_token',
    ]);
    assert.equal(res.body.error, 'mfa_required');
    assert.equal(res.body.error_description, 'Multifactor authentication required');
    assert.match(String(res.body.mfa_token), /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(res.body.mfa_requirements, { enroll: [{ type: 'otp' }, { type: 'email' }] });
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const mfar = server.logs.find((l) => (l.event as { type?: string })?.type === 'mfar');
    assert.ok(mfar, 'mfar event logged');
    assert.ok(!server.logText().includes(String(res.body.mfa_token)), 'mfa_token never logged');
  });

  it('answers a wrong password for an MFA user with plain invalid_grant (MF-1)', async () => {
    const res = await loginAlice(server, { password: 'wrong password' });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'invalid_grant',
      error_description: 'Wrong email or password.',
    });
  });

  it('enrols OTP: secret, otpauth URI and a recovery code; nothing active yet', async () => {
    const mfaToken = await mfaTokenForAlice(server);
    const res = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['otp'],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), [
      'authenticator_type',
      'barcode_uri',
      'recovery_codes',
      'secret',
    ]);
    assert.equal(res.body.authenticator_type, 'otp');
    secret = String(res.body.secret);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(String(res.body.barcode_uri));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Test:alice@example.com');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'Test');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    const codes = res.body.recovery_codes as string[];
    assert.equal(codes.length, 1);
    assert.match(codes[0] ?? '', /^[A-Z0-9]{24}$/);
    recoveryCode = codes[0] ?? '';

    const list = await mfaApi(server, 'GET', '/mfa/authenticators', mfaToken);
    assert.equal(list.status, 200);
    const items = list.body as unknown as Array<Record<string, unknown>>;
    assert.deepEqual(
      items.map((a) => [a.authenticator_type, a.active]),
      [
        ['otp', false],
        ['recovery-code', false],
      ],
    );
    assert.match(String(items[0]?.id), /^totp\|dev_/);
    const stored = await server.storage.authenticators.listByUser(ALICE_ID);
    const otp = stored.find((a) => a.type === 'otp');
    assert.ok(otp?.otp_secret_sealed?.startsWith('v1.'), 'secret stored sealed');
    assert.ok(!otp?.otp_secret_sealed?.includes(secret), 'secret not stored in clear');
    const rc = stored.find((a) => a.type === 'recovery-code');
    assert.notEqual(rc?.recovery_code_hash, recoveryCode, 'recovery code stored hashed');
  });

  it('activates on the first good code and issues what the password grant would have', async () => {
    const mfaToken = await mfaTokenForAlice(server);
    // associating again while nothing is active replaces the pending enrolment
    const again = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['otp'],
    });
    assert.equal(again.status, 200);
    secret = String(again.body.secret);
    recoveryCode = (again.body.recovery_codes as string[])[0] ?? '';
    const res = await otpGrant(mfaToken, totp(secret, clock));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), [
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    assert.equal(res.body.scope, 'openid profile read:messages offline_access');
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 3600);
    const access = decodeJwt(String(res.body.access_token));
    assert.equal(access.sub, ALICE_ID);
    assert.deepEqual(access.aud, [API, `${server.issuer}userinfo`]);
    assert.equal(access.gty, 'password');
    const id = idTokenClaims(res.body);
    assert.deepEqual(id.amr, ['mfa']);
    assert.equal(id.name, 'Alice Example');
    const items = await server.storage.authenticators.listByUser(ALICE_ID);
    assert.equal(items.length, 2, 'the replaced enrolment is gone');
    assert.ok(items.every((a) => a.active));
    const event = server.logs.find((l) => (l.event as { type?: string })?.type === 'seotpft');
    assert.ok(event, 'seotpft logged');

    const refreshed = await server.token({
      grant_type: 'refresh_token',
      refresh_token: String(res.body.refresh_token),
      ...BACKEND,
    });
    assert.equal(refreshed.status, 200, 'the refresh token works like a password-grant one');
  });

  it('challenges the enrolled factors at the next login and accepts the next code', async () => {
    const res = await loginAlice(server);
    assert.deepEqual(res.body.mfa_requirements, {
      challenge: [{ type: 'otp' }, { type: 'recovery-code' }],
    });
    const mfaToken = String(res.body.mfa_token);
    const challenge = await mfaApi(server, 'POST', '/mfa/challenge', null, {
      mfa_token: mfaToken,
      challenge_type: 'otp',
      ...BACKEND,
    });
    assert.equal(challenge.status, 200);
    assert.deepEqual(challenge.body, { challenge_type: 'otp' });
    clock.advance(30);
    const ok = await otpGrant(mfaToken, totp(secret, clock));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('refuses associate once an authenticator is active', async () => {
    const mfaToken = await mfaTokenForAlice(server);
    const res = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['otp'],
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'access_denied',
      error_description: 'User is already enrolled',
    });
  });

  it('refuses a wrong code, a code used before and a code two steps away', async () => {
    clock.advance(30);
    const mfaToken = await mfaTokenForAlice(server);
    const wrong = await otpGrant(mfaToken, totp(secret, clock, 5));
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.body, INVALID_OTP);
    assert.deepEqual((await otpGrant(mfaToken, 'abcdef')).body, INVALID_OTP);
    assert.deepEqual((await otpGrant(mfaToken, totp(secret, clock, -2))).body, INVALID_OTP);
    assert.deepEqual((await otpGrant(mfaToken, totp(secret, clock, 2))).body, INVALID_OTP);
    const code = totp(secret, clock);
    assert.equal((await otpGrant(mfaToken, code)).status, 200);
    // the same code, with a fresh mfa_token, within its window (MF-4)
    const second = await mfaTokenForAlice(server);
    assert.deepEqual((await otpGrant(second, code)).body, INVALID_OTP);
    const reuse = server.logs.filter((l) => (l.event as { type?: string })?.type === 'feotpft');
    assert.ok(reuse.length >= 1, 'failed OTP exchanges are logged');
    assert.ok(!server.logText().includes(code), 'OTP never logged');
  });

  it('accepts the previous and the next step (one step of drift)', async () => {
    clock.advance(90);
    const earlier = await mfaTokenForAlice(server);
    assert.equal((await otpGrant(earlier, totp(secret, clock, -1))).status, 200);
    const later = await mfaTokenForAlice(server);
    assert.equal((await otpGrant(later, totp(secret, clock, 1))).status, 200);
  });

  it('uses an mfa_token once: replaying the successful request is invalid_grant (MF-5)', async () => {
    clock.advance(90);
    const mfaToken = await mfaTokenForAlice(server);
    const code = totp(secret, clock);
    assert.equal((await otpGrant(mfaToken, code)).status, 200);
    clock.advance(30);
    const replay = await otpGrant(mfaToken, totp(secret, clock));
    assert.equal(replay.status, 403);
    assert.deepEqual(replay.body, MALFORMED);
  });

  it('expires an mfa_token after 10 minutes (MF-2)', async () => {
    clock.advance(90);
    const mfaToken = await mfaTokenForAlice(server);
    clock.advance(599);
    const list = await mfaApi(server, 'GET', '/mfa/authenticators', mfaToken);
    assert.equal(list.status, 200, 'still valid at 599 s');
    clock.advance(1);
    const res = await otpGrant(mfaToken, totp(secret, clock));
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, EXPIRED);
    const api = await mfaApi(server, 'GET', '/mfa/authenticators', mfaToken);
    assert.deepEqual(api.body, EXPIRED);
  });

  it('refuses garbage, a missing token and a token of another client', async () => {
    clock.advance(90);
    assert.deepEqual((await otpGrant('garbage', '123456')).body, MALFORMED);
    const missing = await server.token({ grant_type: MFA_OTP, otp: '123456', ...BACKEND });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, {
      error: 'invalid_request',
      error_description: 'Missing required parameter: mfa_token',
    });
    const mfaToken = await mfaTokenForAlice(server);
    const other = await server.token({
      grant_type: MFA_OTP,
      mfa_token: mfaToken,
      otp: totp(secret, clock),
      client_id: 'cli',
    });
    assert.equal(other.status, 403);
    assert.deepEqual(other.body, MALFORMED);
    const garbageApi = await mfaApi(server, 'GET', '/mfa/authenticators', 'garbage');
    assert.deepEqual(garbageApi.body, MALFORMED);
    const noBearer = await mfaApi(server, 'GET', '/mfa/authenticators', null);
    assert.equal(noBearer.status, 401);
    assert.equal(noBearer.body.error, 'invalid_token');
  });

  it('refuses the MFA grants to a client that does not list them', async () => {
    const res = await server.token({
      grant_type: MFA_OTP,
      mfa_token: 'x',
      otp: '123456',
      client_id: 'basic-client',
      client_secret: 'basic-secret',
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'unauthorized_client',
      error_description: `Grant type '${MFA_OTP}' not allowed for the client.`,
    });
  });

  it('keeps the recovery code from the enrolment usable', () => {
    assert.match(recoveryCode, /^[A-Z0-9]{24}$/);
    assert.equal(ALICE.email, 'alice@example.com');
  });
});

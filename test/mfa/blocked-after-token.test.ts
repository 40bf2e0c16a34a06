/**
 * AU-5: a brute-force block stops every grant that could issue tokens for the user, the MFA
 * grants included, even with an `mfa_token` obtained (by the right password) before the block.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../helpers/clock.js';
import { ALICE, DB } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  BACKEND,
  loginAlice,
  MFA_OTP,
  MFA_RECOVERY,
  mfaApi,
  mfaTenant,
  mfaTokenForAlice,
  totp,
} from './support.js';

const BLOCKED = {
  error: 'too_many_attempts',
  error_description:
    "Your account has been blocked after multiple consecutive login attempts. We've sent you a notification via your preferred contact method with instructions on how to unblock it.",
};

describe('MFA grants after a brute-force block (AU-5)', () => {
  let server: TestServer;
  const clock = new TestClock(Date.UTC(2026, 10, 27, 10, 0, 0));
  let secret = '';
  let recoveryCode = '';
  before(async () => {
    const tenant = mfaTenant();
    tenant.attack_protection = { brute_force_protection: { max_attempts: 3, shields: ['block'] } };
    server = await startTestServer(tenant, { clock });
    const mfaToken = await mfaTokenForAlice(server);
    const res = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['otp'],
    });
    secret = String(res.body.secret);
    recoveryCode = (res.body.recovery_codes as string[])[0] ?? '';
    const ok = await server.token({
      grant_type: MFA_OTP,
      mfa_token: mfaToken,
      otp: totp(secret, clock),
      ...BACKEND,
    });
    assert.equal(ok.status, 200);
  });
  after(() => server.close());

  it('refuses an mfa_token from before the block with the block’s 429, OTP and recovery code alike', async () => {
    clock.advance(60_000);
    const early = await mfaTokenForAlice(server);
    for (let i = 0; i < 3; i++) {
      assert.equal((await loginAlice(server, { password: 'wrong' })).status, 403);
    }
    const blocked = await loginAlice(server);
    assert.equal(blocked.status, 429);
    assert.deepEqual(blocked.body, BLOCKED);

    const otp = await server.token({
      grant_type: MFA_OTP,
      mfa_token: early,
      otp: totp(secret, clock),
      ...BACKEND,
    });
    assert.equal(otp.status, 429, JSON.stringify(otp.body));
    assert.deepEqual(otp.body, BLOCKED);
    assert.ok(Number(otp.headers.get('retry-after')) > 0);

    const recovery = await server.token({
      grant_type: MFA_RECOVERY,
      mfa_token: early,
      recovery_code: recoveryCode,
      ...BACKEND,
    });
    assert.deepEqual([recovery.status, recovery.body], [429, BLOCKED]);

    // nor may that token have a code sent or an authenticator enrolled meanwhile
    const challenge = await mfaApi(server, 'POST', '/mfa/challenge', null, {
      mfa_token: early,
      challenge_type: 'otp',
      ...BACKEND,
    });
    assert.deepEqual([challenge.status, challenge.body], [429, BLOCKED]);
    const associate = await mfaApi(server, 'POST', '/mfa/associate', early, {
      authenticator_types: ['otp'],
    });
    assert.deepEqual([associate.status, associate.body], [429, BLOCKED]);
  });

  it('issues with an mfa_token from before the block once an admin clears it', async () => {
    const alice = await server.storage.users.findByLogin(DB, ALICE.email);
    const clear = () => server.storage.loginGates.clearUser(String(alice?.user_id));
    await clear();
    clock.advance(60_000);
    const early = await mfaTokenForAlice(server);
    for (let i = 0; i < 3; i++) await loginAlice(server, { password: 'wrong' });
    assert.equal((await loginAlice(server)).status, 429);
    await clear();
    const ok = await server.token({
      grant_type: MFA_OTP,
      mfa_token: early,
      otp: totp(secret, clock),
      ...BACKEND,
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });
});

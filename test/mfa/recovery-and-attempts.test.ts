/**
 * Recovery codes (consumed, replaced, returned with the tokens) and the per-user budget of
 * wrong MFA codes: 10, one back every 6 minutes, separate from password failures, kept
 * across a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  BACKEND,
  INVALID_OTP,
  idTokenClaims,
  loginAlice,
  MFA_OTP,
  MFA_RECOVERY,
  mfaApi,
  mfaTenant,
  mfaTokenForAlice,
  totp,
} from './support.js';

const INVALID_RECOVERY = { error: 'invalid_grant', error_description: 'Invalid recovery_code.' };
const TOO_MANY = {
  error: 'too_many_attempts',
  error_description: 'Too many failed verification attempts. Try again later.',
};

interface Enrolled {
  secret: string;
  recoveryCode: string;
}

/** Enrols OTP for Alice and activates it; returns the secret and recovery code. */
async function enrolOtp(server: TestServer, clock: TestClock): Promise<Enrolled> {
  const mfaToken = await mfaTokenForAlice(server);
  const res = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
    authenticator_types: ['otp'],
  });
  const secret = String(res.body.secret);
  const ok = await server.token({
    grant_type: MFA_OTP,
    mfa_token: mfaToken,
    otp: totp(secret, clock),
    ...BACKEND,
  });
  assert.equal(ok.status, 200);
  return { secret, recoveryCode: (res.body.recovery_codes as string[])[0] ?? '' };
}

describe('MFA recovery codes', () => {
  let server: TestServer;
  const clock = new TestClock(Date.UTC(2026, 10, 27, 10, 0, 0));
  let enrolled: Enrolled;
  before(async () => {
    server = await startTestServer(mfaTenant(), { clock });
    enrolled = await enrolOtp(server, clock);
  });
  after(() => server.close());

  const recoveryGrant = (mfaToken: string, code: string) =>
    server.token({
      grant_type: MFA_RECOVERY,
      mfa_token: mfaToken,
      recovery_code: code,
      ...BACKEND,
    });

  it('consumes the code and returns a new one with the tokens', async () => {
    const mfaToken = await mfaTokenForAlice(server);
    const wrong = await recoveryGrant(mfaToken, 'AAAAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.body, INVALID_RECOVERY);
    const res = await recoveryGrant(mfaToken, enrolled.recoveryCode.toLowerCase());
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), [
      'access_token',
      'expires_in',
      'id_token',
      'recovery_code',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    const next = String(res.body.recovery_code);
    assert.match(next, /^[A-Z0-9]{24}$/);
    assert.notEqual(next, enrolled.recoveryCode);
    assert.deepEqual(idTokenClaims(res.body).amr, ['mfa']);
    assert.ok(!server.logText().includes(next), 'the new code is never logged');

    const old = await recoveryGrant(await mfaTokenForAlice(server), enrolled.recoveryCode);
    assert.deepEqual(old.body, INVALID_RECOVERY, 'the old code is consumed');
    const fresh = await recoveryGrant(await mfaTokenForAlice(server), next);
    assert.equal(fresh.status, 200);
  });
});

describe('MFA attempt budget', () => {
  const clock = new TestClock(Date.UTC(2026, 10, 27, 10, 0, 0));
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-mfa-attempts-'));
  let server: TestServer;
  let enrolled: Enrolled;
  before(async () => {
    server = await startTestServer(mfaTenant(), { clock, dataDir });
    enrolled = await enrolOtp(server, clock);
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const otpGrant = (mfaToken: string, otp: string) =>
    server.token({ grant_type: MFA_OTP, mfa_token: mfaToken, otp, ...BACKEND });

  it('answers 10 wrong codes with invalid_grant, then 429 even for a right code (MF-3)', async () => {
    clock.advance(60);
    const mfaToken = await mfaTokenForAlice(server);
    for (let i = 0; i < 10; i++) {
      const res = await otpGrant(mfaToken, '000000');
      assert.deepEqual(res.body, INVALID_OTP, `attempt ${i + 1}`);
    }
    const blocked = await otpGrant(mfaToken, totp(enrolled.secret, clock));
    assert.equal(blocked.status, 429);
    assert.deepEqual(blocked.body, TOO_MANY);
    assert.equal(blocked.headers.get('retry-after'), '360');
    // a fresh mfa_token does not reset the per-user bucket; nor do other factors escape it
    const fresh = await mfaTokenForAlice(server);
    assert.equal((await otpGrant(fresh, totp(enrolled.secret, clock))).status, 429);
    const recovery = await server.token({
      grant_type: MFA_RECOVERY,
      mfa_token: fresh,
      recovery_code: enrolled.recoveryCode,
      ...BACKEND,
    });
    assert.equal(recovery.status, 429);
  });

  it('leaves the password budget alone: the password step still answers (MF-6)', async () => {
    const res = await loginAlice(server);
    assert.equal(res.body.error, 'mfa_required');
  });

  it('keeps the empty bucket across a restart and refills one attempt every 6 minutes', async () => {
    await server.close();
    server = await startTestServer(mfaTenant(), { clock, dataDir });
    const mfaToken = await mfaTokenForAlice(server);
    assert.equal((await otpGrant(mfaToken, '000000')).status, 429);
    clock.advance(359);
    const almost = await otpGrant(mfaToken, '000000');
    assert.equal(almost.status, 429);
    assert.equal(almost.headers.get('retry-after'), '1');
    clock.advance(1);
    assert.deepEqual((await otpGrant(mfaToken, '000000')).body, INVALID_OTP, 'one attempt back');
    assert.equal((await otpGrant(mfaToken, '000000')).status, 429);
    clock.advance(360);
    const ok = await otpGrant(await mfaTokenForAlice(server), totp(enrolled.secret, clock));
    assert.equal(ok.status, 200, 'a right code does not spend the attempt');
    const next = await mfaTokenForAlice(server);
    assert.deepEqual((await otpGrant(next, '000000')).body, INVALID_OTP, 'the attempt was kept');
  });
});

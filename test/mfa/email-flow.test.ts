/**
 * The email factor end to end over real HTTP, codes read from the development outbox:
 * password → mfa_required → associate (oob/email) → binding code → tokens → next login →
 * /mfa/challenge (oob) → binding code → tokens; and the ways an emailed code is refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestClock } from '../helpers/clock.js';
import { ALICE_ID } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  ALICE,
  BACKEND,
  idTokenClaims,
  lastEmailedCode,
  loginAlice,
  MALFORMED,
  MFA_OOB,
  mfaApi,
  mfaTenant,
  mfaTokenForAlice,
} from './support.js';

const INVALID_BINDING = { error: 'invalid_grant', error_description: 'Invalid binding_code.' };
const INVALID_OOB = { error: 'invalid_grant', error_description: 'Invalid oob_code.' };
const MAILBOX = 'alice.codes@example.org';

describe('MFA with email codes', () => {
  let server: TestServer;
  const clock = new TestClock(Date.UTC(2026, 10, 27, 10, 0, 0));

  before(async () => {
    server = await startTestServer(mfaTenant(), { clock });
  });
  after(() => server.close());

  const oobGrant = (mfaToken: string, oobCode: string, bindingCode: string) =>
    server.token({
      grant_type: MFA_OOB,
      mfa_token: mfaToken,
      oob_code: oobCode,
      binding_code: bindingCode,
      ...BACKEND,
    });

  const challengeEmail = (mfaToken: string, extra: object = {}) =>
    mfaApi(server, 'POST', '/mfa/challenge', null, {
      mfa_token: mfaToken,
      challenge_type: 'oob',
      ...BACKEND,
      ...extra,
    });

  it('enrols an address, mails a 6-digit code and activates on the right code', async () => {
    const mfaToken = await mfaTokenForAlice(server);
    const res = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['oob'],
      oob_channels: ['email'],
      email: MAILBOX,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(Object.keys(res.body).sort(), [
      'authenticator_type',
      'binding_method',
      'oob_channel',
      'oob_code',
      'recovery_codes',
    ]);
    assert.equal(res.body.authenticator_type, 'oob');
    assert.equal(res.body.binding_method, 'prompt');
    assert.equal(res.body.oob_channel, 'email');
    const [message] = await server.storage.outbox.list(MAILBOX);
    assert.equal(message?.subject, 'Test verification code');
    const code = await lastEmailedCode(server, MAILBOX);
    assert.ok(!server.logText().includes(code), 'the code is never logged');

    const wrong = await oobGrant(
      mfaToken,
      String(res.body.oob_code),
      code === '000000' ? '111111' : '000000',
    );
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.body, INVALID_BINDING);
    const ok = await oobGrant(mfaToken, String(res.body.oob_code), code);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(idTokenClaims(ok.body).amr, ['mfa']);
    const items = await mfaApi(
      server,
      'GET',
      '/mfa/authenticators',
      await mfaTokenForAlice(server),
    );
    const list = items.body as unknown as Array<Record<string, unknown>>;
    assert.deepEqual(
      list.map((a) => [a.authenticator_type, a.oob_channel, a.name, a.active]),
      [
        ['oob', 'email', 'al***@example.org', true],
        ['recovery-code', undefined, undefined, true],
      ],
    );
  });

  it('challenges the email factor at the next login', async () => {
    const res = await loginAlice(server);
    assert.deepEqual(res.body.mfa_requirements, {
      challenge: [{ type: 'email' }, { type: 'recovery-code' }],
    });
    const mfaToken = String(res.body.mfa_token);
    const challenge = await challengeEmail(mfaToken);
    assert.equal(challenge.status, 200);
    assert.deepEqual(Object.keys(challenge.body).sort(), [
      'binding_method',
      'challenge_type',
      'oob_code',
    ]);
    assert.equal(challenge.body.challenge_type, 'oob');
    assert.equal(challenge.body.binding_method, 'prompt');
    const code = await lastEmailedCode(server, MAILBOX);
    const ok = await oobGrant(mfaToken, String(challenge.body.oob_code), code);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const again = await oobGrant(mfaToken, String(challenge.body.oob_code), code);
    assert.deepEqual(again.body, MALFORMED, 'mfa_token used');
  });

  it('expires an emailed code after 5 minutes', async () => {
    const mfaToken = await mfaTokenForAlice(server);
    const challenge = await challengeEmail(mfaToken);
    const code = await lastEmailedCode(server, MAILBOX);
    clock.advance(300);
    const res = await oobGrant(mfaToken, String(challenge.body.oob_code), code);
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'expired_token',
      error_description: 'oob_code is expired',
    });
  });

  it('refuses an oob_code of another mfa_token, an unknown one and a used one', async () => {
    const first = await mfaTokenForAlice(server);
    const challenge = await challengeEmail(first);
    const code = await lastEmailedCode(server, MAILBOX);
    const second = await mfaTokenForAlice(server);
    assert.deepEqual(
      (await oobGrant(second, String(challenge.body.oob_code), code)).body,
      INVALID_OOB,
    );
    assert.deepEqual((await oobGrant(second, 'no-such-code', code)).body, INVALID_OOB);
    assert.equal((await oobGrant(first, String(challenge.body.oob_code), code)).status, 200);
    const missing = await server.token({
      grant_type: MFA_OOB,
      mfa_token: second,
      oob_code: 'x',
      ...BACKEND,
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error_description, 'Missing required parameter: binding_code');
  });

  it('answers challenge errors: no usable type, unknown authenticator, bad client', async () => {
    const mfaToken = await mfaTokenForAlice(server);
    const otpOnly = await challengeEmail(mfaToken, { challenge_type: 'otp' });
    assert.equal(otpOnly.status, 400);
    assert.deepEqual(otpOnly.body, {
      error: 'unsupported_challenge_type',
      error_description: 'User is not enrolled with any of the requested challenge types.',
    });
    const unknown = await challengeEmail(mfaToken, { authenticator_id: 'email|dev_nope' });
    assert.equal(unknown.body.error, 'unsupported_challenge_type');
    const badSecret = await challengeEmail(mfaToken, { client_secret: 'wrong' });
    assert.equal(badSecret.status, 401);
    assert.deepEqual(badSecret.body, { error: 'access_denied', error_description: 'Unauthorized' });
    const otherClient = await mfaApi(server, 'POST', '/mfa/challenge', null, {
      mfa_token: mfaToken,
      client_id: 'cli',
    });
    assert.deepEqual(otherClient.body, MALFORMED);
  });

  it('sends at most 10 codes per user and hour (no mailbox flooding)', async () => {
    clock.advance(3600);
    const mfaToken = await mfaTokenForAlice(server);
    const before = (await server.storage.outbox.list(MAILBOX)).length;
    for (let i = 0; i < 10; i++) assert.equal((await challengeEmail(mfaToken)).status, 200);
    const eleventh = await challengeEmail(mfaToken);
    assert.equal(eleventh.status, 429);
    assert.deepEqual(eleventh.body, {
      error: 'too_many_attempts',
      error_description: 'Too many codes sent. Try again later.',
    });
    assert.equal(eleventh.headers.get('retry-after'), '3600');
    assert.equal((await server.storage.outbox.list(MAILBOX)).length, before + 10);
    clock.advance(3600);
    assert.equal((await challengeEmail(await mfaTokenForAlice(server))).status, 200);
  });

  it('validates what associate is asked for', async () => {
    // a user with no active authenticator: Alice after an admin reset
    await server.storage.authenticators.deleteByUser(ALICE_ID);
    const mfaToken = await mfaTokenForAlice(server);
    const sms = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['oob'],
      oob_channels: ['sms'],
    });
    assert.equal(sms.status, 400);
    assert.deepEqual(sms.body, {
      error: 'invalid_request',
      error_description: 'authenticator_types must be otp, or oob with oob_channels email',
    });
    // no @, two @, no dot inside the domain, over 254 characters, the shape that made a
    // backtracking pattern spin: each is refused
    const tooLong = `${'a'.repeat(243)}@example.com`;
    const crafted = `a@${'.'.repeat(20_000)}@`;
    for (const email of ['not an address', 'a@b@c.d', 'a@.com', 'a@com.', tooLong, crafted]) {
      const badEmail = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
        authenticator_types: ['oob'],
        oob_channels: ['email'],
        email,
      });
      assert.equal(badEmail.status, 400, email.slice(0, 40));
      assert.deepEqual(badEmail.body, {
        error: 'invalid_request',
        error_description: 'email must be an email address',
      });
    }
    // without `email`, the user's own address is used
    const own = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['oob'],
      oob_channels: ['email'],
    });
    assert.equal(own.status, 200);
    assert.ok((await server.storage.outbox.list(ALICE.email)).length === 1);
    const challenge = await challengeEmail(mfaToken);
    assert.equal(challenge.status, 400);
    assert.deepEqual(challenge.body, {
      error: 'association_required',
      error_description: 'User must associate an authenticator first.',
    });
    const noBearer = await mfaApi(server, 'POST', '/mfa/associate', null, {
      authenticator_types: ['otp'],
    });
    assert.equal(noBearer.status, 401);
  });
});

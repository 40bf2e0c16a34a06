/**
 * @module storage/contract/mfa.contract
 *
 * Contract tests for the MFA stores: Guardian settings, authenticators (recovery codes
 * consumed once under concurrency), `mfa_token`s and out-of-band challenges (consumed once),
 * and transactions covering them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MfaAuthenticator, MfaOobChallenge, MfaTokenRecord } from '../models.js';
import { concurrently, type OpenStorage, useFreshStorage } from './harness.js';

export function anAuthenticator(overrides: Partial<MfaAuthenticator> = {}): MfaAuthenticator {
  return {
    id: 'totp|dev_1',
    user_id: 'auth0|ada',
    type: 'otp',
    active: false,
    otp_secret_sealed: 'v1.iv.tag.ct',
    email: null,
    recovery_code_hash: null,
    created_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function anMfaToken(overrides: Partial<MfaTokenRecord> = {}): MfaTokenRecord {
  return {
    token_hash: 'mt-1',
    user_id: 'auth0|ada',
    client_id: 'client-a',
    audience: 'https://api.example.com',
    scope: 'openid read:messages',
    gty: 'password',
    jkt: null,
    expires_at: 1600,
    consumed: false,
    ...overrides,
  };
}

export function anOobChallenge(overrides: Partial<MfaOobChallenge> = {}): MfaOobChallenge {
  return {
    oob_code_hash: 'oob-1',
    mfa_token_hash: 'mt-1',
    authenticator_id: 'email|dev_1',
    binding_code_hash: 'bc-1',
    expires_at: 1300,
    consumed: false,
    ...overrides,
  };
}

const RECOVERY = anAuthenticator({
  id: 'recovery-code|dev_1',
  type: 'recovery-code',
  otp_secret_sealed: null,
  recovery_code_hash: 'rc-hash-1',
});

function describeGuardianAndAuthenticators(open: OpenStorage): void {
  describe('mfa: guardian settings and authenticators', () => {
    const storage = useFreshStorage(open);

    it('guardian settings start empty and are replaced whole', async () => {
      const { guardian } = storage();
      assert.deepEqual(await guardian.get(), { policies: [], factors: [] });
      const settings = {
        policies: ['all-applications' as const],
        factors: [{ name: 'otp' as const, enabled: true }],
      };
      await guardian.put(settings);
      assert.deepEqual(await guardian.get(), settings);
      await guardian.put({ policies: [], factors: [] });
      assert.deepEqual(await guardian.get(), { policies: [], factors: [] });
    });

    it('stores, lists in insertion order, activates and deletes authenticators', async () => {
      const { authenticators } = storage();
      const email = anAuthenticator({ id: 'email|dev_1', type: 'email', email: 'a@b.example' });
      await authenticators.insert(anAuthenticator());
      await authenticators.insert(email);
      await authenticators.insert(anAuthenticator({ id: 'totp|dev_2', user_id: 'auth0|bob' }));
      assert.deepEqual(await authenticators.get('totp|dev_1'), anAuthenticator());
      assert.equal(await authenticators.get('none'), null);
      const ids = (await authenticators.listByUser('auth0|ada')).map((a) => a.id);
      assert.deepEqual(ids, ['totp|dev_1', 'email|dev_1']);
      assert.equal(await authenticators.activate('email|dev_1'), true);
      assert.equal(await authenticators.activate('none'), false);
      assert.equal((await authenticators.get('email|dev_1'))?.active, true);
      assert.equal(await authenticators.deleteInactive('auth0|ada'), 1);
      assert.deepEqual(await authenticators.listByUser('auth0|ada'), [{ ...email, active: true }]);
      assert.equal(await authenticators.delete('email|dev_1'), true);
      assert.equal(await authenticators.delete('email|dev_1'), false);
      assert.equal(await authenticators.deleteByUser('auth0|bob'), 1);
      assert.deepEqual(await authenticators.listByUser('auth0|bob'), []);
    });

    it('replaces a recovery code only from its current hash, once under concurrency', async () => {
      const { authenticators } = storage();
      await authenticators.insert(RECOVERY);
      assert.equal(await authenticators.replaceRecoveryCode(RECOVERY.id, 'wrong', 'x'), false);
      const results = await concurrently(10, (i) =>
        authenticators.replaceRecoveryCode(RECOVERY.id, 'rc-hash-1', `next-${i}`),
      );
      assert.equal(results.filter(Boolean).length, 1);
      const winner = results.indexOf(true);
      assert.equal((await authenticators.get(RECOVERY.id))?.recovery_code_hash, `next-${winner}`);
    });
  });
}

function describeTokensAndChallenges(open: OpenStorage): void {
  describe('mfa: tokens and out-of-band challenges', () => {
    const storage = useFreshStorage(open);

    it('stores an mfa_token and consumes it exactly once under concurrency', async () => {
      const { mfaTokens } = storage();
      await mfaTokens.insert(anMfaToken({ jkt: 'thumb' }));
      assert.deepEqual(await mfaTokens.get('mt-1'), anMfaToken({ jkt: 'thumb' }));
      assert.equal(await mfaTokens.get('none'), null);
      const results = await concurrently(10, () => mfaTokens.consume('mt-1'));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal((await mfaTokens.get('mt-1'))?.consumed, true);
      assert.equal(await mfaTokens.consume('none'), false);
    });

    it('purges expired mfa_tokens only', async () => {
      const { mfaTokens } = storage();
      await mfaTokens.insert(anMfaToken());
      await mfaTokens.insert(anMfaToken({ token_hash: 'mt-2', expires_at: 2000 }));
      assert.equal(await mfaTokens.purgeExpired(1600), 1);
      assert.equal(await mfaTokens.get('mt-1'), null);
      assert.ok(await mfaTokens.get('mt-2'));
    });

    it('stores a challenge, consumes it once and purges it when expired', async () => {
      const { oobChallenges } = storage();
      await oobChallenges.insert(anOobChallenge());
      assert.deepEqual(await oobChallenges.get('oob-1'), anOobChallenge());
      const results = await concurrently(5, () => oobChallenges.consume('oob-1'));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal((await oobChallenges.get('oob-1'))?.consumed, true);
      assert.equal(await oobChallenges.purgeExpired(1299), 0);
      assert.equal(await oobChallenges.purgeExpired(1300), 1);
      assert.equal(await oobChallenges.get('oob-1'), null);
    });

    it('rolls MFA writes back with their transaction', async () => {
      const failing = storage().transaction(async (tx) => {
        await tx.mfaTokens.insert(anMfaToken());
        await tx.authenticators.insert(anAuthenticator());
        throw new Error('boom');
      });
      await assert.rejects(failing, /boom/);
      assert.equal(await storage().mfaTokens.get('mt-1'), null);
      assert.equal(await storage().authenticators.get('totp|dev_1'), null);
    });
  });
}

/** Contract tests for the MFA stores. */
export function describeMfaContract(open: OpenStorage): void {
  describeGuardianAndAuthenticators(open);
  describeTokensAndChallenges(open);
}

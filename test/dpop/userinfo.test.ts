/**
 * `/userinfo` with DPoP-bound tokens (RFC 9449 §7, §9; S16): `Authorization: DPoP` plus a proof
 * with `ath`, `htm` and `htu` of the userinfo request by the token's key; a bound token sent as
 * Bearer is refused; nonces for public clients as at the token endpoint.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { epochSeconds } from '../../src/shared/clock.js';
import { TestClock } from '../helpers/clock.js';
import { ALICE, SECRET } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';
import { DPOP_API, dpopTenant, makeProof, newKey, type ProofOptions } from './support.js';

const clock = new TestClock(Date.UTC(2026, 0, 1, 12));
const key = newKey();
let server: TestServer;
let userinfoUrl: string;

const INVALID_PROOF = {
  error: 'invalid_dpop_proof',
  error_description: 'The DPoP proof is invalid',
};

before(async () => {
  server = await startTestServer(dpopTenant(), { clock });
  userinfoUrl = `${server.issuer}userinfo`;
});
after(() => server.close());

async function tokenFor(params: Record<string, string>): Promise<string> {
  const response = await server.token(
    {
      grant_type: 'password',
      username: ALICE.email,
      password: ALICE.password,
      client_id: 'backend',
      client_secret: SECRET,
      scope: 'openid email',
      ...params,
    },
    {
      headers: {
        DPoP: makeProof({ key, htu: `${server.issuer}oauth/token`, iat: epochSeconds(clock) }),
      },
    },
  );
  assert.equal(response.body.token_type, 'DPoP');
  return String(response.body.access_token);
}

function proofFor(token: string, options: Partial<ProofOptions> = {}): string {
  return makeProof({
    key,
    htm: 'GET',
    htu: userinfoUrl,
    iat: epochSeconds(clock),
    accessToken: token,
    ...options,
  });
}

async function userinfo(headers: Record<string, string>, method = 'GET') {
  return readResponse(await fetch(`${server.url}/userinfo`, { method, headers }));
}

for (const [kind, params] of [
  ['opaque (no audience)', {}],
  ['JWT (API audience)', { audience: DPOP_API }],
] as const) {
  describe(`/userinfo with a DPoP-bound ${kind} token`, () => {
    let token: string;
    before(async () => {
      token = await tokenFor(params);
    });

    it('answers Authorization: DPoP with a proof carrying ath', async () => {
      const response = await userinfo({ Authorization: `DPoP ${token}`, DPoP: proofFor(token) });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.email, ALICE.email);
    });

    it('accepts POST with htm POST', async () => {
      const response = await userinfo(
        { Authorization: `DPoP ${token}`, DPoP: proofFor(token, { htm: 'POST' }) },
        'POST',
      );
      assert.equal(response.status, 200);
    });

    it('refuses the token presented as Bearer', async () => {
      const response = await userinfo({ Authorization: `Bearer ${token}`, DPoP: proofFor(token) });
      assert.equal(response.status, 401);
      assert.equal(response.body.error, 'invalid_token');
      assert.match(
        String(response.headers.get('www-authenticate')),
        /^DPoP error="invalid_token", algs="ES256 /,
      );
    });

    const broken: Array<[string, () => Record<string, string>]> = [
      ['no proof', () => ({ Authorization: `DPoP ${token}` })],
      [
        'a proof without ath',
        () => ({
          Authorization: `DPoP ${token}`,
          DPoP: proofFor(token, { claims: { ath: undefined } }),
        }),
      ],
      [
        'ath of another token',
        () => ({ Authorization: `DPoP ${token}`, DPoP: proofFor(token, { accessToken: 'other' }) }),
      ],
      [
        'htm of another method',
        () => ({ Authorization: `DPoP ${token}`, DPoP: proofFor(token, { htm: 'POST' }) }),
      ],
      [
        'htu of the token endpoint',
        () => ({
          Authorization: `DPoP ${token}`,
          DPoP: proofFor(token, { htu: `${server.issuer}oauth/token` }),
        }),
      ],
      [
        'a proof by another key',
        () => ({ Authorization: `DPoP ${token}`, DPoP: proofFor(token, { key: newKey() }) }),
      ],
      [
        'a stale proof',
        () => ({
          Authorization: `DPoP ${token}`,
          DPoP: proofFor(token, { iat: epochSeconds(clock) - 600 }),
        }),
      ],
    ];
    for (const [name, headers] of broken) {
      it(`refuses ${name} (401 invalid_dpop_proof)`, async () => {
        const response = await userinfo(headers());
        assert.equal(response.status, 401);
        assert.deepEqual(response.body, INVALID_PROOF);
        assert.match(
          String(response.headers.get('www-authenticate')),
          /^DPoP error="invalid_dpop_proof", algs="/,
        );
      });
    }

    it('refuses a replayed proof', async () => {
      const proof = proofFor(token);
      assert.equal((await userinfo({ Authorization: `DPoP ${token}`, DPoP: proof })).status, 200);
      const again = await userinfo({ Authorization: `DPoP ${token}`, DPoP: proof });
      assert.deepEqual([again.status, again.body], [401, INVALID_PROOF]);
    });
  });
}

describe('/userinfo scheme and nonce rules', () => {
  it('refuses a bearer token presented with the DPoP scheme', async () => {
    const response = await server.token({
      grant_type: 'password',
      username: ALICE.email,
      password: ALICE.password,
      client_id: 'backend',
      client_secret: SECRET,
      scope: 'openid',
    });
    const token = String(response.body.access_token);
    const info = await userinfo({ Authorization: `DPoP ${token}`, DPoP: proofFor(token) });
    assert.equal(info.status, 401);
    assert.equal(info.body.error, 'invalid_token');
    assert.equal((await userinfo({ Authorization: `Bearer ${token}` })).status, 200);
  });

  it('challenges a public client for a nonce (401 use_dpop_nonce + DPoP-Nonce), then answers', async () => {
    const login = {
      grant_type: 'password',
      username: ALICE.email,
      password: ALICE.password,
      client_id: 'cli',
      scope: 'openid',
    };
    const htu = `${server.issuer}oauth/token`;
    const first = await server.token(login, {
      headers: { DPoP: makeProof({ key, htu, iat: epochSeconds(clock) }) },
    });
    const tokenNonce = String(first.headers.get('dpop-nonce'));
    const issued = await server.token(login, {
      headers: { DPoP: makeProof({ key, htu, iat: epochSeconds(clock), nonce: tokenNonce }) },
    });
    const token = String(issued.body.access_token);
    const challenged = await userinfo({ Authorization: `DPoP ${token}`, DPoP: proofFor(token) });
    assert.equal(challenged.status, 401);
    assert.deepEqual(challenged.body, {
      error: 'use_dpop_nonce',
      error_description: 'Resource server requires nonce in DPoP proof',
    });
    assert.match(
      String(challenged.headers.get('www-authenticate')),
      /^DPoP error="use_dpop_nonce"/,
    );
    const nonce = String(challenged.headers.get('dpop-nonce'));
    const answered = await userinfo({
      Authorization: `DPoP ${token}`,
      DPoP: proofFor(token, { nonce }),
    });
    assert.equal(answered.status, 200);
  });
});

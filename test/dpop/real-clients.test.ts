/**
 * DPoP end to end with clients nobody here wrote: `oauth4webapi` (the library under
 * openid-client, pinned to the version it pulls in) runs the password grant as a generic grant
 * for a public client with a DPoP handle, retries on its `use_dpop_nonce` error with the nonce
 * the handle cached, refreshes with the same key and calls /userinfo; the `dpop` package builds
 * proofs (ES256, Ed25519, RS256, PS256) for a confidential client.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calculateThumbprint, generateKeyPair, generateProof, type JWSAlgorithm } from 'dpop';
import * as oauth from 'oauth4webapi';
import { ALICE, ALICE_ID, SECRET } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';
import { DPOP_API, dpopTenant, jwtPayload } from './support.js';

let server: TestServer;
before(async () => {
  server = await startTestServer(dpopTenant());
});
after(() => server.close());

const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** Runs `request` once more when it failed with oauth4webapi's DPoP nonce error. */
async function withNonceRetry<T>(request: () => Promise<T>, seen: { retries: number }): Promise<T> {
  try {
    return await request();
  } catch (err) {
    if (!oauth.isDPoPNonceError(err)) throw err;
    seen.retries++;
    return request();
  }
}

describe('oauth4webapi with DPoP (public client)', { timeout: 30_000 }, () => {
  let as: oauth.AuthorizationServer;
  const client: oauth.Client = { client_id: 'cli' };
  let keyPair: oauth.CryptoKeyPair;
  let DPoP: oauth.DPoPHandle;
  let tokens: oauth.TokenEndpointResponse;

  before(async () => {
    const issuer = new URL(server.issuer);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, insecure),
    );
    keyPair = await generateKeyPair('ES256');
    DPoP = oauth.DPoP(client, keyPair);
  });

  it('gets DPoP tokens with the password grant after one nonce retry', async () => {
    const seen = { retries: 0 };
    tokens = await withNonceRetry(async () => {
      const response = await oauth.genericTokenEndpointRequest(
        as,
        client,
        oauth.None(),
        'password',
        {
          username: ALICE.email,
          password: ALICE.password,
          audience: DPOP_API,
          scope: 'openid profile email offline_access',
        },
        { DPoP, ...insecure },
      );
      return oauth.processGenericTokenEndpointResponse(as, client, response);
    }, seen);
    assert.equal(seen.retries, 1, 'the first attempt was a use_dpop_nonce challenge');
    assert.equal(tokens.token_type, 'dpop');
    const cnf = jwtPayload(tokens.access_token).cnf;
    assert.deepEqual(cnf, { jkt: await calculateThumbprint(keyPair.publicKey) });
    assert.ok(tokens.refresh_token);
  });

  it('refreshes with the same key', async () => {
    const seen = { retries: 0 };
    const refreshed = await withNonceRetry(async () => {
      const response = await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.None(),
        String(tokens.refresh_token),
        { DPoP, ...insecure },
      );
      return oauth.processRefreshTokenResponse(as, client, response);
    }, seen);
    assert.equal(refreshed.token_type, 'dpop');
    assert.deepEqual(jwtPayload(refreshed.access_token).cnf, jwtPayload(tokens.access_token).cnf);
    tokens = refreshed;
  });

  it('cannot refresh with another key', async () => {
    const otherDPoP = oauth.DPoP(client, await generateKeyPair('ES256'));
    const attempt = async () => {
      const response = await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.None(),
        String(tokens.refresh_token),
        { DPoP: otherDPoP, ...insecure },
      );
      return oauth.processRefreshTokenResponse(as, client, response);
    };
    await assert.rejects(withNonceRetry(attempt, { retries: 0 }), (err: unknown) => {
      assert.ok(err instanceof oauth.ResponseBodyError);
      assert.equal(err.error, 'invalid_grant');
      return true;
    });
  });

  it('calls /userinfo with the DPoP scheme and a proof', async () => {
    const info = await withNonceRetry(
      async () => {
        const response = await oauth.userInfoRequest(as, client, tokens.access_token, {
          DPoP,
          ...insecure,
        });
        return oauth.processUserInfoResponse(as, client, ALICE_ID, response);
      },
      { retries: 0 },
    );
    assert.equal(info.sub, ALICE_ID);
    assert.equal(info.email, ALICE.email);
  });
});

describe('proofs built by the dpop package (confidential client)', () => {
  const algorithms: JWSAlgorithm[] = ['ES256', 'Ed25519', 'RS256', 'PS256'];
  for (const alg of algorithms) {
    it(`${alg}: password grant, then /userinfo with ath`, async () => {
      const keyPair = await generateKeyPair(alg);
      const tokenUrl = `${server.issuer}oauth/token`;
      const issued = await server.token(
        {
          grant_type: 'password',
          username: ALICE.email,
          password: ALICE.password,
          client_id: 'backend',
          client_secret: SECRET,
          scope: 'openid email',
        },
        { headers: { DPoP: await generateProof(keyPair, tokenUrl, 'POST') } },
      );
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      assert.equal(issued.body.token_type, 'DPoP');
      const token = String(issued.body.access_token);
      const userinfoUrl = `${server.issuer}userinfo`;
      const proof = await generateProof(keyPair, userinfoUrl, 'GET', undefined, token);
      const info = await readResponse(
        await fetch(`${server.url}/userinfo`, {
          headers: { Authorization: `DPoP ${token}`, DPoP: proof },
        }),
      );
      assert.equal(info.status, 200, JSON.stringify(info.body));
      assert.equal(info.body.email, ALICE.email);
    });
  }
});

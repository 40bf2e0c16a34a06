/**
 * DPoP nonces (RFC 9449 §8, DP-10, DP-18, S15): public clients are challenged (Auth0), every
 * client with `nonce: all`; nonces are stateless, rotate with the clock, survive a restart and
 * are refused when forged, stale or from another deployment. Injectable clock throughout.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERRORS } from '../../src/errors/catalogue.js';
import { epochSeconds } from '../../src/shared/clock.js';
import { TestClock } from '../helpers/clock.js';
import { ALICE, SECRET } from '../helpers/fixtures.js';
import { startTestServer, type TestResponse, type TestServer } from '../helpers/server.js';
import { DPOP_API, dpopTenant, makeProof, newKey, SPA_ORIGIN } from './support.js';

const publicLogin = {
  grant_type: 'password',
  username: ALICE.email,
  password: ALICE.password,
  client_id: 'cli',
  audience: DPOP_API,
};
const confidentialLogin = { ...publicLogin, client_id: 'backend', client_secret: SECRET };
/** A fixed public issuer, so that `htu` stays the same across restarts on new ports. */
const ISSUER = 'https://auth.example.com/';
const USE_NONCE = {
  error: 'use_dpop_nonce',
  error_description: 'Authorization server requires nonce in DPoP proof',
};

function assertNonceChallenge(response: TestResponse): string {
  assert.equal(response.status, 400);
  assert.deepEqual(response.body, USE_NONCE);
  const nonce = response.headers.get('dpop-nonce');
  assert.ok(nonce !== null && /^[A-Za-z0-9_-]{43}$/.test(nonce), 'exactly one DPoP-Nonce');
  return nonce;
}

describe('DPoP nonces at the token endpoint', () => {
  const clock = new TestClock(Date.UTC(2026, 0, 1, 12));
  const key = newKey();
  let server: TestServer;
  let dataDir: string;
  const send = (params: Record<string, string>, nonce?: string, iatOffset = 0) =>
    server.token(params, {
      headers: {
        DPoP: makeProof({
          key,
          htu: `${server.issuer}oauth/token`,
          iat: epochSeconds(clock) + iatOffset,
          nonce,
        }),
      },
    });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'latchkey-dpop-nonce-'));
    server = await startTestServer(dpopTenant(), { clock, dataDir, issuer: ISSUER });
  });
  after(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('challenges a public client without a nonce, then accepts the retry', async () => {
    const nonce = assertNonceChallenge(await send(publicLogin));
    const retry = await send(publicLogin, nonce);
    assert.equal(retry.status, 200);
    assert.equal(retry.body.token_type, 'DPoP');
    assert.ok(retry.headers.get('dpop-nonce'), 'a fresh nonce comes with the tokens');
  });

  it('lets a browser read DPoP-Nonce on the challenge and on the tokens (CORS)', async () => {
    const headers = (nonce?: string) => ({
      Origin: SPA_ORIGIN,
      DPoP: makeProof({ key, htu: `${server.issuer}oauth/token`, iat: epochSeconds(clock), nonce }),
    });
    const challenge = await server.token(publicLogin, { headers: headers() });
    assert.equal(challenge.headers.get('access-control-allow-origin'), SPA_ORIGIN);
    assert.match(String(challenge.headers.get('access-control-expose-headers')), /DPoP-Nonce/);
    const issued = await server.token(publicLogin, {
      headers: headers(assertNonceChallenge(challenge)),
    });
    assert.equal(issued.status, 200);
    assert.match(String(issued.headers.get('access-control-expose-headers')), /DPoP-Nonce/);
  });

  it('does not challenge a confidential client by default, and sends it a nonce', async () => {
    const response = await send(confidentialLogin);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('dpop-nonce')?.length, 43);
  });

  it('sends no DPoP-Nonce to a request without a proof', async () => {
    const response = await server.token(confidentialLogin);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('dpop-nonce'), null);
  });

  it('refuses a forged nonce, also from a client that need not send one', async () => {
    assertNonceChallenge(await send(publicLogin, 'forged-nonce'));
    assertNonceChallenge(await send(confidentialLogin, 'forged-nonce'));
  });

  it('accepts a nonce for about two windows, then challenges again', async () => {
    const nonce = assertNonceChallenge(await send(publicLogin));
    clock.advance(60);
    assert.equal((await send(publicLogin, nonce)).status, 200);
    clock.advance(120);
    const fresh = assertNonceChallenge(await send(publicLogin, nonce));
    assert.notEqual(fresh, nonce, 'nonces rotate');
  });

  it('answers a stale iat with a nonce challenge when nonces apply (DP-11)', async () => {
    const nonce = assertNonceChallenge(await send(publicLogin));
    assertNonceChallenge(await send(publicLogin, nonce, -120));
  });

  it('still accepts a nonce after a restart (the secret is stored)', async () => {
    const nonce = assertNonceChallenge(await send(publicLogin));
    await server.close();
    server = await startTestServer(dpopTenant(), { clock, dataDir, issuer: ISSUER });
    assert.equal((await send(publicLogin, nonce)).status, 200);
  });

  it("refuses another deployment's nonce", async () => {
    const otherServer = await startTestServer(dpopTenant(), { clock });
    try {
      const response = await otherServer.token(publicLogin, {
        headers: {
          DPoP: makeProof({
            key,
            htu: `${otherServer.issuer}oauth/token`,
            iat: epochSeconds(clock),
          }),
        },
      });
      const foreign = assertNonceChallenge(response);
      assertNonceChallenge(await send(publicLogin, foreign));
    } finally {
      await otherServer.close();
    }
  });

  it('keeps a used proof refused after a restart inside its window (DU-2)', async () => {
    const nonce = assertNonceChallenge(await send(confidentialLogin, 'x'));
    const proof = makeProof({
      key,
      htu: `${server.issuer}oauth/token`,
      iat: epochSeconds(clock),
      nonce,
    });
    assert.equal((await server.token(confidentialLogin, { headers: { DPoP: proof } })).status, 200);
    await server.close();
    server = await startTestServer(dpopTenant(), { clock, dataDir, issuer: ISSUER });
    const again = await server.token(confidentialLogin, { headers: { DPoP: proof } });
    assert.equal(again.status, 400);
    assert.equal(again.body.error_description, ERRORS.dpop_replayed.description);
  });
});

describe('DPoP nonces required for every client (nonce: all)', () => {
  const clock = new TestClock(Date.UTC(2026, 0, 1, 12));
  let server: TestServer;
  before(async () => {
    server = await startTestServer(dpopTenant(), {
      clock,
      dpop: { proofWindowS: 30, nonce: 'all' },
    });
  });
  after(() => server.close());

  it('challenges a confidential client too, and honours the configured window', async () => {
    const proof = (nonce?: string, iat = epochSeconds(clock)) =>
      makeProof({ htu: `${server.issuer}oauth/token`, iat, nonce });
    const nonce = assertNonceChallenge(
      await server.token(confidentialLogin, { headers: { DPoP: proof() } }),
    );
    const ok = await server.token(confidentialLogin, { headers: { DPoP: proof(nonce) } });
    assert.equal(ok.status, 200);
    const late = proof(nonce, epochSeconds(clock) - 31);
    assertNonceChallenge(await server.token(confidentialLogin, { headers: { DPoP: late } }));
  });
});

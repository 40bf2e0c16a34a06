/**
 * Sender-constrained tokens (RFC 9449 §5, §6; DP-14, DP-15, RT-2) and Auth0's policy matrix
 * (client `require_proof_of_possession`, API `proof_of_possession`): which requests get DPoP
 * tokens, bearer tokens or none, and refresh tokens usable only with the same key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERRORS, type ErrorKey } from '../../src/errors/catalogue.js';
import { epochSeconds } from '../../src/shared/clock.js';
import { sha256 } from '../../src/shared/crypto.js';
import { TestClock } from '../helpers/clock.js';
import { ALICE, API, DB, PASSWORD_REALM, SECRET } from '../helpers/fixtures.js';
import { startTestServer, type TestResponse, type TestServer } from '../helpers/server.js';
import {
  DPOP_API,
  DPOP_PUBLIC_API,
  DPOP_REQUIRED_API,
  dpopTenant,
  jwtPayload,
  makeProof,
  newKey,
  type TestKey,
  thumbprint,
} from './support.js';

const clock = new TestClock(Date.UTC(2026, 0, 1, 12));
let server: TestServer;

const backend = { client_id: 'backend', client_secret: SECRET };
const popClient = { client_id: 'pop-client', client_secret: 'pop-secret-value' };
const user = { username: ALICE.email, password: ALICE.password };

before(async () => {
  server = await startTestServer(dpopTenant(), { clock });
});
after(() => server.close());

function proofHeaders(key: TestKey | null): Record<string, string> {
  if (key === null) return {};
  return { DPoP: makeProof({ key, htu: `${server.issuer}oauth/token`, iat: epochSeconds(clock) }) };
}

function login(params: Record<string, string>, key: TestKey | null): Promise<TestResponse> {
  return server.token(
    { grant_type: 'password', ...user, ...params },
    { headers: proofHeaders(key) },
  );
}

function refresh(token: string, key: TestKey | null): Promise<TestResponse> {
  return server.token(
    { grant_type: 'refresh_token', refresh_token: token, ...backend },
    { headers: proofHeaders(key) },
  );
}

function assertError(response: TestResponse, key: ErrorKey): void {
  const spec = ERRORS[key];
  assert.equal(response.status, spec.status);
  assert.deepEqual(response.body, { error: spec.error, error_description: spec.description });
}

describe('DPoP-bound tokens', () => {
  it('binds the access token (cnf.jkt) and the refresh token to the proof key', async () => {
    const key = newKey();
    const response = await login(
      { ...backend, audience: DPOP_API, scope: 'openid offline_access' },
      key,
    );
    assert.equal(response.status, 200);
    assert.equal(response.body.token_type, 'DPoP');
    const jkt = await thumbprint(key);
    assert.deepEqual(jwtPayload(String(response.body.access_token)).cnf, { jkt });
    assert.equal(jwtPayload(String(response.body.id_token)).cnf, undefined, 'ID token unbound');
    const stored = await server.storage.refreshTokens.get(
      sha256(String(response.body.refresh_token)),
    );
    assert.equal(stored?.dpop_jkt, jkt);
  });

  it('binds password-realm tokens too', async () => {
    const key = newKey();
    const response = await server.token(
      { grant_type: PASSWORD_REALM, realm: DB, ...user, ...backend, audience: DPOP_API },
      { headers: proofHeaders(key) },
    );
    assert.equal(response.body.token_type, 'DPoP');
    assert.deepEqual(jwtPayload(String(response.body.access_token)).cnf, {
      jkt: await thumbprint(key),
    });
  });

  it('binds the opaque userinfo-only token (no audience)', async () => {
    const key = newKey();
    const response = await login({ ...backend, scope: 'openid' }, key);
    assert.equal(response.body.token_type, 'DPoP');
    const stored = await server.storage.accessTokens.get(
      sha256(String(response.body.access_token)),
      epochSeconds(clock),
    );
    assert.equal(stored?.dpop_jkt, await thumbprint(key));
  });

  it('issues bearer tokens for an API without proof_of_possession, even with a proof (Auth0)', async () => {
    const response = await login({ ...backend, audience: API, scope: 'offline_access' }, newKey());
    assert.equal(response.status, 200);
    assert.equal(response.body.token_type, 'Bearer');
    assert.equal(jwtPayload(String(response.body.access_token)).cnf, undefined);
    const stored = await server.storage.refreshTokens.get(
      sha256(String(response.body.refresh_token)),
    );
    assert.equal(stored?.dpop_jkt, null);
  });

  it('issues bearer tokens without a proof', async () => {
    const response = await login({ ...backend, audience: DPOP_API }, null);
    assert.equal(response.body.token_type, 'Bearer');
    assert.equal(jwtPayload(String(response.body.access_token)).cnf, undefined);
  });
});

describe('refreshing a DPoP-bound refresh token', () => {
  const key = newKey();
  let refreshToken: string;

  before(async () => {
    const response = await login({ ...backend, audience: DPOP_API, scope: 'offline_access' }, key);
    refreshToken = String(response.body.refresh_token);
  });

  it('works with a proof by the same key, and the new access token is bound', async () => {
    const response = await refresh(refreshToken, key);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.token_type, 'DPoP');
    assert.deepEqual(jwtPayload(String(response.body.access_token)).cnf, {
      jkt: await thumbprint(key),
    });
  });

  it('fails with a proof by another key (invalid_grant)', async () => {
    assertError(await refresh(refreshToken, newKey()), 'invalid_refresh_token');
  });

  it('fails without a proof (invalid_grant)', async () => {
    assertError(await refresh(refreshToken, null), 'invalid_refresh_token');
  });

  it('keeps a rotated successor bound to the same key', async () => {
    const rotating = newKey();
    const first = await server.token(
      {
        grant_type: 'password',
        ...user,
        client_id: 'cli',
        audience: DPOP_API,
        scope: 'offline_access',
      },
      { headers: proofHeaders(rotating) },
    );
    // cli is public: the first attempt is a nonce challenge
    const nonce = String(first.headers.get('dpop-nonce'));
    const proof = makeProof({
      key: rotating,
      htu: `${server.issuer}oauth/token`,
      iat: epochSeconds(clock),
      nonce,
    });
    const issued = await server.token(
      {
        grant_type: 'password',
        ...user,
        client_id: 'cli',
        audience: DPOP_API,
        scope: 'offline_access',
      },
      { headers: { DPoP: proof } },
    );
    assert.equal(issued.status, 200);
    const stored = await server.storage.refreshTokens.get(
      sha256(String(issued.body.refresh_token)),
    );
    assert.equal(stored?.dpop_jkt, await thumbprint(rotating));
  });
});

describe('proof-of-possession policy', () => {
  it('client require_proof_of_possession: no proof, no token', async () => {
    assertError(await login({ ...popClient, audience: DPOP_API }, null), 'dpop_proof_required');
    assertError(await login({ ...popClient }, null), 'dpop_proof_required');
  });

  it('client require_proof_of_possession: a proof gets bound tokens', async () => {
    const response = await login({ ...popClient, audience: DPOP_API }, newKey());
    assert.equal(response.body.token_type, 'DPoP');
  });

  it('client require_proof_of_possession with an API that cannot constrain: no token', async () => {
    assertError(
      await login({ ...popClient, audience: API }, newKey()),
      'dpop_not_supported_by_api',
    );
  });

  it('API required for all clients: no proof, no token; with a proof, bound', async () => {
    assertError(
      await login({ ...backend, audience: DPOP_REQUIRED_API }, null),
      'dpop_proof_required',
    );
    const response = await login({ ...backend, audience: DPOP_REQUIRED_API }, newKey());
    assert.equal(response.body.token_type, 'DPoP');
  });

  it('API required for public clients: a confidential client still gets a bearer token', async () => {
    const response = await login({ ...backend, audience: DPOP_PUBLIC_API }, null);
    assert.equal(response.status, 200);
    assert.equal(response.body.token_type, 'Bearer');
    assertError(
      await login({ client_id: 'cli', audience: DPOP_PUBLIC_API }, null),
      'dpop_proof_required',
    );
  });

  it('a refresh that the policy forbids fails before rotating the token', async () => {
    const response = await login({ ...backend, audience: API, scope: 'offline_access' }, null);
    const value = String(response.body.refresh_token);
    const record = await server.storage.refreshTokens.get(sha256(value));
    assert.ok(record);
    await server.storage.clients.upsert({
      ...(await server.storage.clients.get('backend'))!,
      require_proof_of_possession: true,
    });
    try {
      assertError(await refresh(value, null), 'dpop_proof_required');
      assert.equal((await server.storage.refreshTokens.get(sha256(value)))?.status, 'active');
    } finally {
      await server.storage.clients.upsert({
        ...(await server.storage.clients.get('backend'))!,
        require_proof_of_possession: false,
      });
    }
  });
});

describe('client credentials with DPoP', () => {
  const service = {
    grant_type: 'client_credentials',
    client_id: 'dpop-service',
    client_secret: 'dpop-service-secret',
  };

  it('binds the token when the API allows it', async () => {
    const key = newKey();
    const response = await server.token(
      { ...service, audience: DPOP_API },
      { headers: proofHeaders(key) },
    );
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.token_type, 'DPoP');
    assert.deepEqual(jwtPayload(String(response.body.access_token)).cnf, {
      jkt: await thumbprint(key),
    });
  });

  it('issues nothing without a proof when the API requires one', async () => {
    assertError(
      await server.token({ ...service, audience: DPOP_REQUIRED_API }),
      'dpop_proof_required',
    );
  });
});

describe('discovery', () => {
  it('lists dpop_signing_alg_values_supported', async () => {
    const doc = (await (
      await fetch(`${server.url}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    assert.deepEqual(doc.dpop_signing_alg_values_supported, [
      'ES256',
      'ES384',
      'EdDSA',
      'Ed25519',
      'RS256',
      'PS256',
    ]);
  });
});

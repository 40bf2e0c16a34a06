import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { API, API_9068, baseTenant } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const service = {
  grant_type: 'client_credentials',
  client_id: 'service',
  client_secret: 'service-secret',
};

describe('grant_type=client_credentials', () => {
  let server: TestServer;
  before(async () => {
    const { tenant } = baseTenant();
    (tenant.clients as unknown[]).push(
      {
        client_id: 'service',
        name: 'Service',
        app_type: 'non_interactive',
        client_secret: 'service-secret',
        grant_types: ['client_credentials'],
      },
      {
        client_id: 'public-cc',
        name: 'Public',
        app_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: [],
      },
    );
    tenant.client_grants = [
      { client_id: 'service', audience: API, scope: ['read:messages'] },
      { client_id: 'public-cc', audience: API, scope: ['read:messages'] },
    ];
    server = await startTestServer(tenant);
    // A tenant file cannot give a public client this grant (as in Auth0); a database written
    // before that rule, or by hand, can: the grant refuses it anyway.
    const stored = await server.storage.clients.get('public-cc');
    assert.ok(stored);
    await server.storage.clients.upsert({ ...stored, grant_types: ['client_credentials'] });
  });
  after(() => server.close());

  it('issues a client token for an API the client holds a grant for', async () => {
    const res = await server.token({ ...service, audience: API });
    assert.equal(res.status, 200);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.scope, 'read:messages');
    assert.equal(res.body.expires_in, 3600);
    assert.equal(res.body.id_token, undefined);
    assert.equal(res.body.refresh_token, undefined);
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(String(res.body.access_token), jwks, {
      issuer: server.issuer,
      audience: API,
    });
    assert.equal(payload.sub, 'service@clients');
    assert.equal(payload.gty, 'client-credentials');
    assert.equal(payload.azp, 'service');
    assert.equal(payload.scope, 'read:messages');
  });

  it('refuses scopes beyond the client grant, naming them', async () => {
    const res = await server.token({
      ...service,
      audience: API,
      scope: 'read:messages write:messages',
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'access_denied',
      error_description: 'Client has not been granted scopes: write:messages',
    });
  });

  it('refuses an API without a client grant with Auth0 text', async () => {
    const res = await server.token({ ...service, audience: API_9068 });
    assert.equal(res.status, 403);
    assert.equal(res.body.error, 'access_denied');
    assert.equal(
      res.body.error_description,
      `Client is not authorized to access "${API_9068}". You might probably want to create a "client-grant" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants`,
    );
  });

  it('needs an audience when the tenant has no default', async () => {
    const res = await server.token(service);
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, {
      error: 'access_denied',
      error_description:
        'No audience parameter was provided, and no default audience has been configured',
    });
  });

  it('is refused to public clients and to clients without the grant type', async () => {
    const pub = await server.token({
      grant_type: 'client_credentials',
      client_id: 'public-cc',
      audience: API,
    });
    assert.equal(pub.status, 403);
    assert.equal(pub.body.error, 'unauthorized_client');
    const backend = await server.token({
      grant_type: 'client_credentials',
      client_id: 'backend',
      client_secret: 'backend-secret-value',
      audience: API,
    });
    assert.equal(backend.status, 403);
    assert.deepEqual(backend.body, {
      error: 'unauthorized_client',
      error_description: "Grant type 'client_credentials' not allowed for the client.",
    });
  });

  it('requires client authentication', async () => {
    const res = await server.token({ ...service, client_secret: 'wrong', audience: API });
    assert.equal(res.status, 401);
  });
});

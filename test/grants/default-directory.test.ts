import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALICE, API, baseTenant, SECRET } from '../helpers/fixtures.js';
import { startTestServer } from '../helpers/server.js';

const request = {
  grant_type: 'password',
  client_id: 'backend',
  client_secret: SECRET,
  username: ALICE.email,
  password: ALICE.password,
};

describe('grant_type=password and the default directory', () => {
  it('is a server_error when the tenant has no default directory', async () => {
    const { tenant } = baseTenant();
    delete (tenant.tenant as Record<string, unknown>).default_directory;
    const server = await startTestServer(tenant);
    try {
      const res = await server.token(request);
      assert.equal(res.status, 500);
      assert.deepEqual(res.body, {
        error: 'server_error',
        error_description: 'Authorization server not configured with default connection.',
      });
    } finally {
      await server.close();
    }
  });

  it('uses the tenant default audience when the request names none', async () => {
    const { tenant } = baseTenant();
    (tenant.tenant as Record<string, unknown>).default_audience = API;
    const server = await startTestServer(tenant);
    try {
      const res = await server.token({ ...request, scope: 'read:messages' });
      assert.equal(res.status, 200);
      const payload = JSON.parse(
        Buffer.from(String(res.body.access_token).split('.')[1] ?? '', 'base64url').toString(),
      );
      assert.equal(payload.aud, API);
    } finally {
      await server.close();
    }
  });

  it('lets resource stand in for audience only in the compatibility profile', async () => {
    const { tenant } = baseTenant();
    (tenant.tenant as Record<string, unknown>).resource_parameter_profile = 'compatibility';
    const server = await startTestServer(tenant);
    try {
      const ok = await server.token({ ...request, resource: API, scope: 'read:messages' });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.scope, 'read:messages');
      const both = await server.token({
        ...request,
        resource: 'https://nope.example.com',
        audience: API,
        scope: 'read:messages',
      });
      assert.equal(both.status, 200, 'audience wins over resource');
      const fragment = await server.token({ ...request, resource: `${API}#x` });
      assert.equal(fragment.status, 400);
      assert.deepEqual(fragment.body, {
        error: 'invalid_target',
        error_description: 'The resource parameter must be one absolute URI without a fragment',
      });
      const body = `${new URLSearchParams(request)}&resource=${encodeURIComponent(API)}&resource=${encodeURIComponent('https://other.example.com')}`;
      const two = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      assert.equal(two.status, 400);
      assert.equal(((await two.json()) as { error: string }).error, 'invalid_target');
    } finally {
      await server.close();
    }
  });

  it('ignores resource in the default (audience) profile', async () => {
    const server = await startTestServer(baseTenant().tenant);
    try {
      const res = await server.token({ ...request, resource: API, scope: 'openid' });
      assert.equal(res.status, 200);
      assert.equal(String(res.body.access_token).split('.').length, 1, 'opaque: no audience');
    } finally {
      await server.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ALICE } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { attackTenant, login, loginFrom, WRONG } from './helpers.js';

/** The `ip` and `client_ip` of the newest `fp` event. */
async function lastFailureIps(server: TestServer): Promise<[string | null, string | null]> {
  const [event] = await server.storage.logEvents.list({ type: 'fp', limit: 1 });
  return [event?.ip ?? null, event?.client_ip ?? null];
}

const FORWARDED = { 'auth0-forwarded-for': '203.0.113.77' };

describe('end-user IP: auth0-forwarded-for', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(attackTenant());
  });
  after(() => server.close());

  it('uses the header of an authenticated client trusted to send it; client_ip is the caller', async () => {
    assert.equal((await loginFrom(server, '203.0.113.77', WRONG)).status, 403);
    assert.deepEqual(await lastFailureIps(server), ['203.0.113.77', '127.0.0.1']);
  });

  it('ignores it from a confidential client without is_token_endpoint_ip_header_trusted', async () => {
    assert.equal((await login(server, WRONG, ALICE.email, FORWARDED)).status, 403);
    assert.deepEqual(await lastFailureIps(server), ['127.0.0.1', '127.0.0.1']);
  });

  it('ignores it from a public client (auth method none)', async () => {
    const res = await server.token(
      { grant_type: 'password', client_id: 'cli', username: ALICE.email, password: WRONG },
      { headers: FORWARDED },
    );
    assert.equal(res.status, 403);
    assert.deepEqual(await lastFailureIps(server), ['127.0.0.1', '127.0.0.1']);
  });

  it('ignores it, even malformed, from a client that is not trusted', async () => {
    const res = await login(server, WRONG, ALICE.email, { 'auth0-forwarded-for': 'not-an-ip' });
    assert.equal(res.status, 403);
  });

  it('stores an IPv6 address in canonical form, and IPv4-mapped IPv6 as IPv4', async () => {
    await loginFrom(server, '2001:DB8:0:0:0:0:0:1', WRONG);
    assert.equal((await lastFailureIps(server))[0], '2001:db8::1');
    await loginFrom(server, '::ffff:198.51.100.9', WRONG);
    assert.equal((await lastFailureIps(server))[0], '198.51.100.9');
  });

  it('drops an IPv6 zone (fe80::1%eth0): the address is counted without it', async () => {
    assert.equal((await loginFrom(server, 'fe80::1%eth0', WRONG)).status, 403);
    assert.equal((await lastFailureIps(server))[0], 'fe80::1');
    assert.equal((await loginFrom(server, '2001:DB8::7%25x', WRONG)).status, 403);
    assert.equal((await lastFailureIps(server))[0], '2001:db8::7');
  });

  it('answers an untrusted caller whose header holds an IPv6 zone like any other (no 500)', async () => {
    const res = await server.token(
      { grant_type: 'password' },
      { headers: { 'auth0-forwarded-for': 'fe80::1%eth0' } },
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.error, 'invalid_request');
  });

  for (const bad of [
    '1.2.3.4, 5.6.7.8',
    'fe80::1%',
    '1.2.3.4:80',
    'unknown',
    '999.1.1.1',
    '[::1]',
    '',
  ]) {
    it(`answers 400 invalid_request to a trusted header holding ${JSON.stringify(bad)}`, async () => {
      const res = await loginFrom(server, bad, ALICE.password);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, {
        error: 'invalid_request',
        error_description: 'The auth0-forwarded-for header must hold one IP address',
      });
    });
  }

  it('checks the header only after the client authenticated', async () => {
    const res = await server.token(
      {
        grant_type: 'password',
        client_id: 'relay',
        client_secret: 'wrong',
        username: 'a',
        password: 'b',
      },
      { headers: { 'auth0-forwarded-for': 'garbage' } },
    );
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'access_denied');
  });
});

describe('end-user IP: X-Forwarded-For', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  it('is ignored when the peer is not a declared proxy', async () => {
    const server = await startTestServer(attackTenant());
    servers.push(server);
    await login(server, WRONG, ALICE.email, { 'x-forwarded-for': '203.0.113.5' });
    assert.deepEqual(await lastFailureIps(server), ['127.0.0.1', '127.0.0.1']);
  });

  it('gives the right-most untrusted hop behind a declared proxy; spoofed left entries are ignored', async () => {
    const server = await startTestServer(attackTenant(), { trustProxy: ['127.0.0.1'] });
    servers.push(server);
    await login(server, WRONG, ALICE.email, { 'x-forwarded-for': '6.6.6.6, 203.0.113.5' });
    assert.deepEqual(await lastFailureIps(server), ['203.0.113.5', '203.0.113.5']);
    await login(server, WRONG, ALICE.email, { 'x-forwarded-for': '6.6.6.6, fe80::9%eth0' });
    // The counted IP drops the zone; client_ip is the address as the HTTP layer saw it.
    assert.deepEqual(await lastFailureIps(server), ['fe80::9', 'fe80::9%eth0']);
    const bad = await login(server, WRONG, ALICE.email, { 'x-forwarded-for': 'garbage' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error_description, 'The X-Forwarded-For header must hold one IP address');
  });
});

/**
 * DS-6: open connections are capped in all and per client address, so one client holding
 * connections open cannot keep others out; a trusted proxy is counted in the total only.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { addressGroup } from '../../src/http/connection-limits.js';
import { baseTenant } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const DISCOVERY = '/.well-known/openid-configuration';

/** A connection from `localAddress` (any 127.x.y.z is this host's loopback). */
function open(server: TestServer, localAddress: string): Promise<Socket> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress }, () =>
      resolve(socket),
    );
    socket.once('error', reject);
  });
}

/**
 * Sends one GET on `socket`; resolves to the status line, or to 'closed' when the server
 * closes the connection without answering.
 */
function get(socket: Socket, path = DISCOVERY): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => resolve(text === '' ? 'closed' : (text.split('\r\n')[0] ?? ''));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) done();
    });
    socket.once('close', done);
    socket.once('error', () => {});
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
  });
}

function closeAll(sockets: Socket[]): void {
  for (const socket of sockets) socket.destroy();
}

describe('connection limits (DS-6)', () => {
  describe('per client address', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(baseTenant().tenant, {
        connectionLimits: { total: 100, perAddress: 3 },
        trustProxy: ['127.0.0.3'],
      });
    });
    after(() => server.close());

    it('closes the address’s connection over the cap; other addresses are still served', async () => {
      const held = await Promise.all([1, 2, 3].map(() => open(server, '127.0.0.2')));
      try {
        assert.equal(await get(await open(server, '127.0.0.2')), 'closed');
        assert.equal((await fetch(`${server.url}${DISCOVERY}`)).status, 200);
        assert.equal(await get(held[0] as Socket), 'HTTP/1.1 200 OK', 'the held ones still work');
        held.pop()?.destroy();
        // the server learns of the close a moment later: until then a new one is still over
        let line = 'closed';
        for (let i = 0; i < 100 && line === 'closed'; i++) {
          const next = await open(server, '127.0.0.2');
          held.push(next);
          line = await get(next);
        }
        assert.equal(line, 'HTTP/1.1 200 OK', 'a place freed is taken again');
      } finally {
        closeAll(held);
      }
      const warning = server.logs.find((l) => l.msg === 'connections refused: too many open');
      assert.deepEqual([warning?.reason, warning?.address], ['per_address', '127.0.0.2']);
    });

    it('does not count a trusted proxy per address', async () => {
      const sockets = await Promise.all([1, 2, 3, 4, 5].map(() => open(server, '127.0.0.3')));
      try {
        const lines = await Promise.all(sockets.map((socket) => get(socket)));
        assert.deepEqual(lines, Array(5).fill('HTTP/1.1 200 OK'));
      } finally {
        closeAll(sockets);
      }
    });
  });

  describe('in all', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(baseTenant().tenant, {
        connectionLimits: { total: 2, perAddress: 100 },
      });
    });
    after(() => server.close());

    it('closes connections beyond the total, whatever their address', async () => {
      const held = [await open(server, '127.0.0.4'), await open(server, '127.0.0.5')];
      try {
        assert.equal(await get(await open(server, '127.0.0.6')), 'closed');
        assert.equal(await get(held[1] as Socket), 'HTTP/1.1 200 OK');
      } finally {
        closeAll(held);
      }
      const warning = server.logs.find((l) => l.msg === 'connections refused: too many open');
      assert.equal(warning?.reason, 'total');
    });
  });

  it('counts an IPv4 address as itself and an IPv6 address by its /64', () => {
    assert.equal(addressGroup('192.0.2.7'), '192.0.2.7');
    assert.equal(addressGroup('::ffff:192.0.2.7'), '192.0.2.7');
    assert.equal(addressGroup('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressGroup('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
    assert.equal(addressGroup('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressGroup('::1'), '0:0:0:0::/64');
  });
});

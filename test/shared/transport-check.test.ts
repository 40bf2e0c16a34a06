import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, checkTransport } from '../../src/config/server-config.js';

const HTTPS = 'https://auth.example.com';

describe('an https:// issuer needs TLS or a trusted proxy in front (TE-2)', () => {
  it('refuses plain HTTP under an https:// issuer with nothing in front', () => {
    assert.throws(() => checkTransport({ issuer: HTTPS }), ConfigError);
    assert.throws(() => checkTransport({ issuer: 'HTTPS://AUTH.example.com' }), ConfigError);
    assert.throws(() => checkTransport({ issuer: HTTPS, trustProxy: [] }), ConfigError);
  });

  it('takes TLS, a trusted proxy, an http:// or derived issuer, or the explicit test switch', () => {
    for (const config of [
      { issuer: HTTPS, tls: { certFile: 'c', keyFile: 'k' } },
      { issuer: HTTPS, trustProxy: ['10.0.0.0/8'] },
      { issuer: HTTPS, allowPlainHttp: true },
      { issuer: 'http://localhost:3000/' },
      {},
    ]) {
      assert.doesNotThrow(() => checkTransport(config), JSON.stringify(config));
    }
  });

  it('reports a malformed issuer as such first', () => {
    assert.throws(
      () => checkTransport({ issuer: 'https://admin:hunter2@auth.example.com/' }),
      /must not have credentials/,
    );
  });
});

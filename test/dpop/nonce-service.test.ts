/**
 * The stateless nonce service on its own: which time steps a nonce is accepted in, and that
 * another secret's nonces are never accepted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htuMatches, normalizedHtu } from '../../src/dpop/htu.js';
import { NonceService } from '../../src/dpop/nonce-service.js';

describe('NonceService', () => {
  const service = new NonceService(Buffer.alloc(32, 1), 60);

  it('gives one nonce per 60 s step, accepted in that step and both neighbours', () => {
    const nonce = service.current(6000); // step 100
    assert.equal(service.current(6059), nonce);
    assert.notEqual(service.current(6060), nonce);
    assert.equal(service.isFresh(nonce, 5940), true, 'step 99');
    assert.equal(service.isFresh(nonce, 6119), true, 'step 101');
    assert.equal(service.isFresh(nonce, 5939), false, 'step 98');
    assert.equal(service.isFresh(nonce, 6120), false, 'step 102');
  });

  it("never accepts another secret's nonce, or a mangled one", () => {
    const other = new NonceService(Buffer.alloc(32, 2), 60);
    assert.equal(service.isFresh(other.current(6000), 6000), false);
    assert.equal(service.isFresh(`${service.current(6000)}x`, 6000), false);
    assert.equal(service.isFresh('', 6000), false);
  });
});

describe('htu normalisation', () => {
  const target = 'https://auth.example.com/oauth/token';
  for (const [htu, expected] of [
    ['https://auth.example.com/oauth/token', true],
    ['HTTPS://AUTH.EXAMPLE.COM/oauth/token', true],
    ['https://auth.example.com:443/oauth/token', true],
    ['https://auth.example.com/x/../oauth/token', true],
    ['https://auth.example.com/oauth/token?x=1#y', true],
    ['https://auth.example.com/OAUTH/token', false],
    ['https://auth.example.com:8443/oauth/token', false],
    ['https://user@auth.example.com/oauth/token', false],
    ['ftp://auth.example.com/oauth/token', false],
    ['/oauth/token', false],
  ] as const) {
    it(`${expected ? 'matches' : 'does not match'} ${htu}`, () => {
      assert.equal(htuMatches(htu, target), expected);
    });
  }

  it('gives an empty path as /', () => {
    assert.equal(normalizedHtu('https://a.example'), 'https://a.example/');
  });
});

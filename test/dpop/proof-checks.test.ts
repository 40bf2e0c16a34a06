/**
 * RFC 9449 §4.3 at the token endpoint, one row per check (DP-1…DP-12, DP-17): each row sends
 * a password grant with a proof broken in one way and asserts the 400 `invalid_dpop_proof` body
 * naming the failed check, or the success when the variation must be accepted. The server and
 * the proofs share an injectable clock.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ERRORS, type ErrorKey } from '../../src/errors/catalogue.js';
import { epochSeconds } from '../../src/shared/clock.js';
import { TestClock } from '../helpers/clock.js';
import { ALICE, SECRET } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import {
  DPOP_API,
  dpopTenant,
  hmacJws,
  makeProof,
  newKey,
  type ProofOptions,
  signJws,
} from './support.js';

const clock = new TestClock(Date.UTC(2026, 0, 1, 12));
let server: TestServer;
let tokenUrl: string;

const login = {
  grant_type: 'password',
  username: ALICE.email,
  password: ALICE.password,
  client_id: 'backend',
  client_secret: SECRET,
  audience: DPOP_API,
};

before(async () => {
  server = await startTestServer(dpopTenant(), { clock });
  tokenUrl = `${server.issuer}oauth/token`;
});
after(() => server.close());

/** A proof for the token endpoint, now, with the given breakage. */
function proof(options: Partial<ProofOptions> = {}): string {
  return makeProof({ htu: tokenUrl, iat: epochSeconds(clock), ...options });
}

function expectRejected(response: { status: number; body: unknown }, key: ErrorKey): void {
  const spec = ERRORS[key];
  assert.equal(response.status, 400);
  assert.deepEqual(response.body, { error: spec.error, error_description: spec.description });
}

async function sendProof(value: string) {
  return server.token(login, { headers: { DPoP: value } });
}

const es256 = newKey();
const es512 = newKey('ES512');
const other = newKey();

interface Row {
  name: string;
  proof: () => string;
  /** The catalogue key of the rejection, or `ok` when the proof must be accepted. */
  expect: ErrorKey | 'ok';
}

const rows: Row[] = [
  // DP-2: a well-formed compact JWS
  { name: 'not a JWT', proof: () => 'malformed', expect: 'dpop_malformed' },
  { name: 'empty header value', proof: () => '', expect: 'dpop_malformed' },
  { name: 'five parts (JWE shape)', proof: () => 'a.b.c.d.e', expect: 'dpop_malformed' },
  { name: 'header not JSON', proof: () => 'bm90anNvbg.e30.c2ln', expect: 'dpop_malformed' },
  {
    name: 'payload not a JSON object',
    proof: () =>
      signJws({ typ: 'dpop+jwt', alg: 'ES256', jwk: es256.jwk }, '[1]', es256.privateKey, 'ES256'),
    expect: 'dpop_malformed',
  },
  // DP-4: typ
  { name: 'typ JWT', proof: () => proof({ header: { typ: 'JWT' } }), expect: 'dpop_typ' },
  { name: 'typ missing', proof: () => proof({ header: { typ: undefined } }), expect: 'dpop_typ' },
  { name: 'typ boolean', proof: () => proof({ header: { typ: true } }), expect: 'dpop_typ' },
  // DP-5: alg
  {
    name: 'alg none, no signature',
    proof: () => {
      const [h, p] = proof({ header: { alg: 'none' } }).split('.');
      return `${h}.${p}.`;
    },
    expect: 'dpop_alg',
  },
  {
    name: 'alg HS256 with a symmetric jwk',
    proof: () => {
      const secret = Buffer.alloc(32, 7);
      const jwk = { kty: 'oct', k: secret.toString('base64url') };
      return hmacJws(
        { typ: 'dpop+jwt', alg: 'HS256', jwk },
        { jti: 'h', htm: 'POST', htu: tokenUrl, iat: epochSeconds(clock) },
        secret,
      );
    },
    expect: 'dpop_alg',
  },
  { name: 'alg ES512 (not on the list)', proof: () => proof({ key: es512 }), expect: 'dpop_alg' },
  // DP-7: jwk
  { name: 'jwk missing', proof: () => proof({ header: { jwk: undefined } }), expect: 'dpop_jwk' },
  {
    name: 'jwk with the private key (d)',
    proof: () => proof({ key: es256, header: { jwk: es256.privateKey.export({ format: 'jwk' }) } }),
    expect: 'dpop_jwk',
  },
  { name: 'jwk not an object', proof: () => proof({ header: { jwk: 'key' } }), expect: 'dpop_jwk' },
  // DP-6: signature
  {
    name: 'signature byte flipped',
    proof: () => {
      const value = proof();
      const sig = Buffer.from(value.split('.')[2] ?? '', 'base64url');
      sig[0] = (sig[0] ?? 0) ^ 0xff;
      return `${value.split('.').slice(0, 2).join('.')}.${sig.toString('base64url')}`;
    },
    expect: 'dpop_signature',
  },
  {
    name: 'signed with key A, embeds key B',
    proof: () => proof({ key: es256, header: { jwk: other.jwk } }),
    expect: 'dpop_signature',
  },
  {
    name: 'alg that does not fit the key (RS256 over an EC key)',
    proof: () => proof({ key: es256, header: { alg: 'RS256' } }),
    expect: 'dpop_signature',
  },
  // DP-3: required claims
  { name: 'jti missing', proof: () => proof({ claims: { jti: undefined } }), expect: 'dpop_jti' },
  { name: 'jti a number', proof: () => proof({ claims: { jti: 42 } }), expect: 'dpop_jti' },
  {
    name: 'jti of 300 characters',
    proof: () => proof({ claims: { jti: 'j'.repeat(300) } }),
    expect: 'dpop_jti',
  },
  { name: 'htm missing', proof: () => proof({ claims: { htm: undefined } }), expect: 'dpop_htm' },
  { name: 'htu missing', proof: () => proof({ claims: { htu: undefined } }), expect: 'dpop_htu' },
  { name: 'iat missing', proof: () => proof({ claims: { iat: undefined } }), expect: 'dpop_iat' },
  { name: 'iat a string', proof: () => proof({ claims: { iat: 'now' } }), expect: 'dpop_iat' },
  // DP-8: htm
  { name: 'htm PUT', proof: () => proof({ htm: 'PUT' }), expect: 'dpop_htm' },
  { name: 'htm post (case)', proof: () => proof({ htm: 'post' }), expect: 'dpop_htm' },
  // DP-9: htu
  {
    name: 'htu other host',
    proof: () => proof({ htu: 'http://evil.example/oauth/token' }),
    expect: 'dpop_htu',
  },
  {
    name: 'htu other path',
    proof: () => proof({ htu: `${server.issuer}oauth/revoke` }),
    expect: 'dpop_htu',
  },
  {
    name: 'htu other scheme',
    proof: () => proof({ htu: tokenUrl.replace('http:', 'https:') }),
    expect: 'dpop_htu',
  },
  { name: 'htu trailing slash', proof: () => proof({ htu: `${tokenUrl}/` }), expect: 'dpop_htu' },
  { name: 'htu not a string', proof: () => proof({ claims: { htu: 7 } }), expect: 'dpop_htu' },
  { name: 'htu unparsable', proof: () => proof({ htu: 'http://[::1' }), expect: 'dpop_htu' },
  {
    name: 'htu with query and fragment',
    proof: () => proof({ htu: `${tokenUrl}?a=1#f` }),
    expect: 'ok',
  },
  {
    name: 'htu with upper-case scheme and host',
    proof: () => proof({ htu: tokenUrl.replace('http://127.0.0.1', 'HTTP://127.0.0.1') }),
    expect: 'ok',
  },
  // DP-11: iat window (60 s by default)
  { name: 'iat 10 s ago', proof: () => proof({ iat: epochSeconds(clock) - 10 }), expect: 'ok' },
  { name: 'iat 10 s ahead', proof: () => proof({ iat: epochSeconds(clock) + 10 }), expect: 'ok' },
  {
    name: 'iat 61 s ago',
    proof: () => proof({ iat: epochSeconds(clock) - 61 }),
    expect: 'dpop_iat',
  },
  {
    name: 'iat 61 s ahead',
    proof: () => proof({ iat: epochSeconds(clock) + 61 }),
    expect: 'dpop_iat',
  },
  {
    name: 'iat an hour ago',
    proof: () => proof({ iat: epochSeconds(clock) - 3600 }),
    expect: 'dpop_iat',
  },
  // DP-17: extra members are ignored
  {
    name: 'extra claims and header parameters',
    proof: () => proof({ header: { kid: 'x', foo: 1 }, claims: { extra: { a: 1 }, exp: 1 } }),
    expect: 'ok',
  },
  // every allowed algorithm
  { name: 'ES384', proof: () => proof({ key: newKey('ES384') }), expect: 'ok' },
  { name: 'EdDSA', proof: () => proof({ key: newKey('EdDSA') }), expect: 'ok' },
  { name: 'RS256', proof: () => proof({ key: newKey('RS256') }), expect: 'ok' },
  { name: 'PS256', proof: () => proof({ key: newKey('PS256') }), expect: 'ok' },
];

describe('DPoP proof checks at the token endpoint', () => {
  for (const row of rows) {
    it(`${row.expect === 'ok' ? 'accepts' : 'rejects'}: ${row.name}`, async () => {
      const response = await sendProof(row.proof());
      if (row.expect === 'ok') {
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.equal(response.body.token_type, 'DPoP');
      } else {
        expectRejected(response, row.expect);
        assert.equal(response.body.access_token, undefined);
      }
    });
  }

  it('rejects two DPoP headers (DP-1)', async () => {
    const body = new URLSearchParams(login).toString();
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          DPoP: [proof(), proof()],
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    expectRejected(
      { status: status.status, body: JSON.parse(status.body) },
      'dpop_multiple_headers',
    );
  });

  it('accepts the header name in upper case (DP-1)', async () => {
    const response = await server.token(login, { headers: { DPOP: proof() } });
    assert.equal(response.status, 200);
    assert.equal(response.body.token_type, 'DPoP');
  });

  it('accepts a proof once: the same proof again is a replay (DP-12)', async () => {
    const value = proof();
    assert.equal((await sendProof(value)).status, 200);
    expectRejected(await sendProof(value), 'dpop_replayed');
  });

  it('lets exactly one of 20 concurrent uses of one proof through (DP-13)', async () => {
    const value = proof();
    const responses = await Promise.all(Array.from({ length: 20 }, () => sendProof(value)));
    assert.equal(responses.filter((r) => r.status === 200).length, 1);
    for (const r of responses.filter((r) => r.status !== 200)) expectRejected(r, 'dpop_replayed');
  });

  it('remembers a jti for the whole window, then forgets it', async () => {
    const value = proof();
    assert.equal((await sendProof(value)).status, 200);
    clock.advance(60);
    expectRejected(await sendProof(value), 'dpop_replayed');
    clock.advance(1);
    expectRejected(await sendProof(value), 'dpop_iat');
  });

  it('never echoes the proof or its claims in the error', async () => {
    const marker = 'attacker-controlled-marker';
    const response = await sendProof(
      proof({ htu: `http://${marker}.example/`, claims: { jti: marker } }),
    );
    expectRejected(response, 'dpop_htu');
    assert.ok(!JSON.stringify(response.body).includes(marker));
  });

  it('names the failed check in the log, not the proof', async () => {
    const value = proof({ htm: 'GET' });
    await sendProof(value);
    assert.match(server.logText(), /DPoP htm check failed/);
    assert.ok(!server.logText().includes(value));
  });
});

/**
 * @module test/tenant/credentials
 *
 * `private_key_jwt` credentials: JWK to SPKI PEM, ids, no private keys, RSA of 2048+ bits.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { toClientCredential } from '../../src/tenant/credentials.js';
import type { TenantFile } from '../../src/tenant/schema.js';
import { checkTenantRules } from '../../src/tenant/tenant-rules.js';
import { jwtClient, rsaPublicKey, tenantErrorOf } from './support.js';

const rulesError = (file: TenantFile) => tenantErrorOf(() => checkTenantRules(file));
const credentialPath = 'clients[0].client_authentication_methods.private_key_jwt.credentials[0]';

describe('credentials', () => {
  const key = rsaPublicKey();
  const publicJwk = key.export({ format: 'jwk' });
  const spki = key.export({ type: 'spki', format: 'pem' }).toString();

  test('a JWK becomes an SPKI PEM whose id is the RFC 7638 thumbprint', async () => {
    const credential = toClientCredential({ jwk: { ...publicJwk } }, []);
    assert.deepEqual(credential, {
      id: await calculateJwkThumbprint({ kty: 'RSA', n: publicJwk.n!, e: publicJwk.e! }),
      name: '',
      credential_type: 'public_key',
      pem: spki,
      alg: 'RS256',
    });
  });

  test('kid given on the credential wins, then the JWK kid', () => {
    assert.equal(
      toClientCredential({ jwk: { ...publicJwk, kid: 'inner' }, kid: 'outer' }, []).id,
      'outer',
    );
    assert.equal(toClientCredential({ jwk: { ...publicJwk, kid: 'inner' } }, []).id, 'inner');
  });

  test('a PEM is normalised to SPKI (PKCS#1 input accepted)', () => {
    const pkcs1 = key.export({ type: 'pkcs1', format: 'pem' }).toString();
    const credential = toClientCredential({ pem: pkcs1, name: 'k1', alg: 'PS256' }, []);
    assert.equal(credential.pem, spki);
    assert.equal(credential.name, 'k1');
    assert.equal(credential.alg, 'PS256');
  });

  test('a private JWK is rejected', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateJwk = privateKey.export({ format: 'jwk' });
    assert.equal(
      rulesError(jwtClient({ jwk: privateJwk })),
      `${credentialPath}.jwk: private key member "d" is not allowed in a public key`,
    );
    assert.equal(
      rulesError(jwtClient({ jwk: { kty: 'oct', k: 'c2VjcmV0' } })),
      `${credentialPath}.jwk: private key member "k" is not allowed in a public key`,
    );
  });

  test('a private PEM is rejected', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.equal(
      rulesError(jwtClient({ pem })),
      `${credentialPath}.pem: must be a public key (SPKI PEM), not a private key`,
    );
  });

  test('small RSA keys and non-RSA keys are rejected', () => {
    const small = rsaPublicKey(1024).export({ format: 'jwk' });
    assert.equal(
      rulesError(jwtClient({ jwk: small })),
      `${credentialPath}.jwk: RSA key must be at least 2048 bits, got 1024`,
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    assert.equal(
      rulesError(jwtClient({ pem: ec.export({ type: 'spki', format: 'pem' }).toString() })),
      `${credentialPath}.pem: must be an RSA key, got ec`,
    );
  });

  test('exactly one of pem and jwk; garbage is rejected', () => {
    assert.equal(
      rulesError(jwtClient({})),
      `${credentialPath}: exactly one of pem or jwk is required`,
    );
    assert.equal(
      rulesError(jwtClient({ pem: spki, jwk: publicJwk })),
      `${credentialPath}: exactly one of pem or jwk is required`,
    );
    assert.match(
      rulesError(jwtClient({ pem: 'not a pem' })),
      /^clients\[0\].*credentials\[0\]\.pem: not a valid PEM public key \(/,
    );
    assert.match(
      rulesError(jwtClient({ jwk: { kty: 'RSA' } })),
      /^clients\[0\].*credentials\[0\]\.jwk: not a valid public JWK \(/,
    );
  });

  test('two credentials with the same id are rejected', () => {
    const file = jwtClient({ jwk: publicJwk });
    file.clients![0]!.client_authentication_methods!.private_key_jwt.credentials.push({
      pem: spki,
    });
    assert.equal(
      rulesError(file),
      'clients[0].client_authentication_methods.private_key_jwt.credentials[1]: duplicate credential id ' +
        `(same as ${credentialPath})`,
    );
  });
});

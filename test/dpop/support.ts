/**
 * What the DPoP tests share: keys, a proof builder that can break any part of a proof, and a
 * tenant with APIs and clients for each proof-of-possession policy.
 */
import {
  constants,
  createHash,
  createHmac,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { baseTenant, DB } from '../helpers/fixtures.js';

/** An API whose tokens may be sender-constrained (Auth0 "allowed"). */
export const DPOP_API = 'https://dpop-api.example.com';
/** An API that requires DPoP from every client. */
export const DPOP_REQUIRED_API = 'https://dpop-required.example.com';
/** An API that requires DPoP from public clients only. */
export const DPOP_PUBLIC_API = 'https://dpop-public.example.com';

/** The browser origin the public client `cli` allows (CORS). */
export const SPA_ORIGIN = 'https://spa.example.com';

export interface TestKey {
  readonly alg: string;
  readonly privateKey: KeyObject;
  readonly jwk: JWK;
}

/** A fresh key pair for `alg` (ES256 by default). */
export function newKey(alg = 'ES256'): TestKey {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'ES384'
        ? generateKeyPairSync('ec', { namedCurve: 'P-384' })
        : alg === 'EdDSA'
          ? generateKeyPairSync('ed25519')
          : alg === 'ES512'
            ? generateKeyPairSync('ec', { namedCurve: 'P-521' })
            : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { alg, privateKey: pair.privateKey, jwk: pair.publicKey.export({ format: 'jwk' }) as JWK };
}

export function thumbprint(key: TestKey): Promise<string> {
  return calculateJwkThumbprint(key.jwk, 'sha256');
}

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Signs `header.payload` with `key` under `alg` (which may disagree with the key). */
export function signJws(header: unknown, payload: unknown, key: KeyObject, alg: string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const hash = alg.endsWith('384') ? 'sha384' : alg.endsWith('512') ? 'sha512' : 'sha256';
  let signature: Buffer;
  if (alg.startsWith('ES'))
    signature = sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'EdDSA' || alg === 'Ed25519') signature = sign(null, Buffer.from(input), key);
  else if (alg.startsWith('PS'))
    signature = sign(hash, Buffer.from(input), {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
  else signature = sign(hash, Buffer.from(input), key);
  return `${input}.${signature.toString('base64url')}`;
}

/** An HMAC "proof" (never acceptable). */
export function hmacJws(header: unknown, payload: unknown, secret: Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

export interface ProofOptions {
  key?: TestKey;
  htm?: string;
  htu: string;
  /** Epoch seconds. */
  iat: number;
  nonce?: string;
  accessToken?: string;
  /** Replaces or adds header members; `undefined` removes one. */
  header?: Record<string, unknown>;
  /** Replaces or adds claims; `undefined` removes one. */
  claims?: Record<string, unknown>;
}

let counter = 0;

function withOverrides(
  base: Record<string, unknown>,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const out = { ...base, ...overrides };
  for (const [name, value] of Object.entries(overrides)) if (value === undefined) delete out[name];
  return out;
}

/** A DPoP proof, valid unless the options break it. */
export function makeProof(options: ProofOptions): string {
  const key = options.key ?? newKey();
  const header = withOverrides({ typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk }, options.header);
  const claims = withOverrides(
    {
      jti: `jti-${process.pid}-${++counter}-${Math.random().toString(36).slice(2)}`,
      htm: options.htm ?? 'POST',
      htu: options.htu,
      iat: options.iat,
      ...(options.nonce !== undefined && { nonce: options.nonce }),
      ...(options.accessToken !== undefined && {
        ath: createHash('sha256').update(options.accessToken).digest('base64url'),
      }),
    },
    options.claims,
  );
  return signJws(header, claims, key.privateKey, key.alg);
}

/** The payload of a JWT, unverified. */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
}

/** The base test tenant plus DPoP APIs and a client that requires proof of possession. */
export function dpopTenant(): Record<string, unknown> {
  const { tenant } = baseTenant();
  const t = tenant as {
    clients: Array<Record<string, unknown>>;
    resource_servers: Array<Record<string, unknown>>;
    connections: Array<{ name: string; enabled_clients: string[] }>;
  };
  const scopes = [{ value: 'read:messages' }];
  t.resource_servers.push(
    {
      identifier: DPOP_API,
      name: 'DPoP API',
      scopes,
      allow_offline_access: true,
      proof_of_possession: { mechanism: 'dpop', required: false },
    },
    {
      identifier: DPOP_REQUIRED_API,
      name: 'DPoP required',
      scopes,
      proof_of_possession: { mechanism: 'dpop', required: true, required_for: 'all_clients' },
    },
    {
      identifier: DPOP_PUBLIC_API,
      name: 'DPoP for public clients',
      scopes,
      proof_of_possession: { mechanism: 'dpop', required: true, required_for: 'public_clients' },
    },
  );
  t.clients.push({
    client_id: 'pop-client',
    name: 'Requires PoP',
    client_secret: 'pop-secret-value',
    grant_types: ['password', 'refresh_token'],
    require_proof_of_possession: true,
  });
  t.clients.push({
    client_id: 'dpop-service',
    name: 'Service',
    client_secret: 'dpop-service-secret',
    grant_types: ['client_credentials'],
  });
  (tenant as { client_grants?: unknown[] }).client_grants = [DPOP_API, DPOP_REQUIRED_API].map(
    (audience) => ({ client_id: 'dpop-service', audience, scope: ['read:messages'] }),
  );
  const cli = t.clients.find((c) => c.client_id === 'cli');
  if (cli) cli.allowed_origins = [SPA_ORIGIN];
  const db = t.connections.find((c) => c.name === DB);
  db?.enabled_clients.push('pop-client');
  return tenant;
}

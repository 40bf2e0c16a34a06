/**
 * @module test/tenant/support
 *
 * Shared helpers of the tenant-file tests: a fresh in-memory storage, the real hasher, RSA
 * keys and a way to capture a thrown error's message.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { Argon2PasswordHasher } from '../../src/accounts/password-hasher.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import type { Storage } from '../../src/storage/storage.js';
import { parseTenantDocument, TenantFileError } from '../../src/tenant/load-tenant-file.js';
import type { TenantFile } from '../../src/tenant/schema.js';

/** One hasher for all tests (argon2id with production parameters). */
export const hasher = new Argon2PasswordHasher({ concurrency: 4 });

/** A new, empty in-memory SQLite storage. */
export function freshStorage(): Promise<Storage> {
  return openSqliteStorage({ path: ':memory:' });
}

/** Parses a YAML tenant document with an explicit (default empty) environment. */
export function yamlTenant(text: string, env: NodeJS.ProcessEnv = {}): TenantFile {
  return parseTenantDocument(text, 'yaml', env);
}

/** The message of the {@link TenantFileError} `fn` throws; fails when it throws nothing. */
export function tenantErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof TenantFileError, `expected TenantFileError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected a TenantFileError');
}

/** The message of the {@link TenantFileError} the promise rejects with. */
export async function tenantRejectionOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TenantFileError, `expected TenantFileError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected a TenantFileError');
}

const keys = new Map<number, KeyObject>();

/** An RSA public key of `bits` bits (cached per size). */
export function rsaPublicKey(bits = 2048): KeyObject {
  let key = keys.get(bits);
  if (!key) {
    key = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey;
    keys.set(bits, key);
  }
  return key;
}

/** Everything in `storage`, for before/after comparisons. */
export async function snapshot(storage: Storage) {
  return {
    tenant: await storage.tenant.get(),
    clients: await storage.clients.list(),
    resourceServers: await storage.resourceServers.list(),
    clientGrants: await storage.clientGrants.list(),
    connections: await storage.connections.list(),
    users: await storage.users.list(),
  };
}

/** A private_key_jwt client whose only credential is `credential`. */
export function jwtClient(credential: Record<string, unknown>): TenantFile {
  return {
    clients: [
      {
        client_id: 'svc',
        name: 'Service',
        token_endpoint_auth_method: 'private_key_jwt',
        client_authentication_methods: { private_key_jwt: { credentials: [credential] } },
      },
    ],
  };
}

/**
 * ClientSecretVerifier: a burst of requests from one client costs one argon2 verification, and
 * the hash work is queued under the client's own source.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Argon2PasswordHasher, type PasswordHasher } from '../../src/accounts/password-hasher.js';
import { ClientSecretVerifier } from '../../src/client-auth/verifiers/client-secret.js';
import { aClient } from '../../src/storage/contract/fixtures.js';

class RecordingHasher implements PasswordHasher {
  readonly inner = new Argon2PasswordHasher();
  readonly sources: Array<string | undefined> = [];
  hash(password: string): Promise<string> {
    return this.inner.hash(password);
  }
  verify(password: string, storedHash: string | null, source?: string): Promise<boolean> {
    this.sources.push(source);
    return this.inner.verify(password, storedHash, source);
  }
  needsRehash(storedHash: string): boolean {
    return this.inner.needsRehash(storedHash);
  }

  decoy(profile: string): Promise<string> {
    return this.inner.decoy(profile);
  }
}

describe('client secret verification', () => {
  it('shares one hash check among concurrent requests with the same secret', async () => {
    const hasher = new RecordingHasher();
    const client = aClient({
      client_id: 'burst',
      client_secret_hash: await hasher.hash('right-secret'),
    });
    const verifier = new ClientSecretVerifier(hasher);
    const results = await Promise.all(
      Array.from({ length: 30 }, () => verifier.verify(client, 'right-secret')),
    );
    assert.ok(results.every((ok) => ok));
    assert.deepEqual(hasher.sources, ['client:burst']);
  });

  it('checks a different secret on its own and still refuses it', async () => {
    const hasher = new RecordingHasher();
    const client = aClient({ client_id: 'c2', client_secret_hash: await hasher.hash('right') });
    const verifier = new ClientSecretVerifier(hasher);
    const [right, wrong] = await Promise.all([
      verifier.verify(client, 'right'),
      verifier.verify(client, 'wrong'),
    ]);
    assert.equal(right, true);
    assert.equal(wrong, false);
    assert.equal(hasher.sources.length, 2);
    assert.equal(await verifier.verify(client, 'wrong'), false);
    assert.equal(
      hasher.sources.length,
      2,
      'a cached secret settles any other secret without hashing',
    );
  });
});

/**
 * The MFA command line: `latchkey users mfa list|reset` and `latchkey serve` with SMTP and
 * encryption-key settings from the environment, as child processes.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { Argon2PasswordHasher } from '../../src/accounts/password-hasher.js';
import { attemptBucketKey } from '../../src/mfa/attempts.js';
import { openDataDir } from '../../src/server.js';
import { anAuthenticator } from '../../src/storage/contract/mfa.contract.js';
import type { Storage } from '../../src/storage/storage.js';
import { importTenant } from '../../src/tenant/import-tenant.js';
import type { TenantFile } from '../../src/tenant/schema.js';
import { cleanUp, lines, runCli, startServe, tempDir } from '../helpers/cli.js';
import { ALICE_ID } from '../helpers/fixtures.js';
import { ALICE, BACKEND, DB, mfaTenant } from './support.js';

async function withDataDir<T>(dir: string, fn: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openDataDir(dir);
  try {
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

after(cleanUp);

/** Child processes start slowly on a loaded machine; a generous bound, not a speed check. */
const SLOW = { timeoutMs: 90_000 };

describe('latchkey users mfa', () => {
  let dir = '';
  before(async () => {
    dir = tempDir('latchkey-mfa-cli-');
    await withDataDir(dir, async (storage) => {
      await importTenant(storage, mfaTenant() as TenantFile, new Argon2PasswordHasher());
      await storage.authenticators.insert(anAuthenticator({ user_id: ALICE_ID, active: true }));
      await storage.authenticators.insert(
        anAuthenticator({
          id: 'email|dev_2',
          user_id: ALICE_ID,
          type: 'email',
          otp_secret_sealed: null,
          email: 'alice@example.com',
        }),
      );
      await storage.rateBuckets.take(attemptBucketKey(ALICE_ID), 1, 360_000, 0);
    });
  });

  it('lists a user’s authenticators by user_id or by login, without secrets', async () => {
    const byId = await runCli(['users', 'mfa', 'list', ALICE_ID, '--data', dir], SLOW);
    assert.equal(byId.code, 0, byId.stderr);
    assert.deepEqual(lines(byId.stdout), [
      'totp|dev_1\totp\tactive\t2026-01-01T00:00:00.000Z',
      'email|dev_2\temail\tpending\t2026-01-01T00:00:00.000Z alice@example.com',
    ]);
    assert.ok(!byId.stdout.includes('v1.'), 'no sealed secret printed');
    const byLogin = await runCli(
      ['users', 'mfa', 'list', ALICE.email, '--connection', DB, '--data', dir],
      SLOW,
    );
    assert.equal(byLogin.stdout, byId.stdout);
  });

  it('resets: removes every authenticator and refills the attempt budget', async () => {
    const res = await runCli(['users', 'mfa', 'reset', ALICE_ID, '--data', dir], SLOW);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, `${ALICE_ID}: removed 2 authenticator(s)\n`);
    const empty = await runCli(['users', 'mfa', 'list', ALICE_ID, '--data', dir], SLOW);
    assert.equal(empty.stdout, `${ALICE_ID}: no authenticators\n`);
    await withDataDir(dir, async (storage) => {
      const bucket = await storage.rateBuckets.take(attemptBucketKey(ALICE_ID), 1, 360_000, 0);
      assert.equal(bucket.allowed, true, 'the bucket is full again');
    });
  });

  it('fails with one line for an unknown user', async () => {
    const res = await runCli(['users', 'mfa', 'reset', 'auth0|nobody', '--data', dir], SLOW);
    assert.equal(res.code, 1);
    assert.equal(res.stderr, 'latchkey: no user "auth0|nobody"\n');
  });
});

describe('latchkey serve with MFA settings', () => {
  it('refuses an encryption key that is not 32 bytes', async () => {
    const res = await runCli(['serve', '--host', '127.0.0.1', '--port', '0', '--data', tempDir()], {
      ...SLOW,
      env: { LATCHKEY_ENCRYPTION_KEY: 'too-short' },
    });
    assert.equal(res.code, 1);
    assert.match(
      res.stderr,
      /^latchkey: --encryption-key \(LATCHKEY_ENCRYPTION_KEY\): encryption key must be 32 bytes/,
    );
  });

  it('sends email codes through the SMTP server named by LATCHKEY_SMTP_*', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (auth, _session, cb) =>
        auth.username === 'mailer' && auth.password === 'pw'
          ? cb(null, { user: 'mailer' })
          : cb(new Error('Invalid username or password')),
      onData(stream, session, cb) {
        received.push(session.envelope.rcptTo.map((r) => r.address).join(','));
        stream.resume();
        stream.on('end', () => cb());
      },
    });
    const port = await new Promise<number>((resolve) =>
      smtp.listen(0, '127.0.0.1', () => {
        const address = smtp.server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      }),
    );
    const dir = tempDir('latchkey-mfa-serve-');
    const tenantFile = join(dir, 'tenant.json');
    writeFileSync(tenantFile, JSON.stringify(mfaTenant()));
    const server = await startServe(
      ['--host', '127.0.0.1', '--port', '0', '--data', dir, '--tenant', tenantFile],
      {
        LATCHKEY_SMTP_HOST: '127.0.0.1',
        LATCHKEY_SMTP_PORT: String(port),
        LATCHKEY_SMTP_USER: 'mailer',
        LATCHKEY_SMTP_PASSWORD: 'pw',
        LATCHKEY_SMTP_FROM: 'no-reply@latchkey.test',
      },
      SLOW,
    );
    try {
      const login = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'password',
          username: ALICE.email,
          password: ALICE.password,
          ...BACKEND,
        }),
      });
      const { mfa_token } = (await login.json()) as { mfa_token: string };
      const associate = await fetch(`${server.url}/mfa/associate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${mfa_token}` },
        body: JSON.stringify({ authenticator_types: ['oob'], oob_channels: ['email'] }),
      });
      assert.equal(associate.status, 200);
      assert.deepEqual(received, [ALICE.email]);
      assert.ok(!server.stdout().includes('pw"'), 'the SMTP password is not logged');
    } finally {
      await server.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});

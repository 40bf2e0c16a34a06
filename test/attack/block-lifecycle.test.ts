import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cleanUp, runCli } from '../helpers/cli.js';
import { ALICE, ALICE_ID } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';
import {
  attackTenant,
  BRUTE_FORCE_TEXT,
  LoginCountingHasher,
  loginFrom,
  WRONG,
} from './helpers.js';

const IP1 = '203.0.113.10';
const IP2 = '198.51.100.20';
const tenant = () =>
  attackTenant({
    brute_force_protection: { max_attempts: 10, shields: ['block', 'user_notification'] },
    same_user_ip_limit: { enabled: false },
    account_throttling: { enabled: false },
  });

async function blockAlice(server: TestServer, ip = IP1, times = 10): Promise<void> {
  for (let i = 0; i < times; i++) assert.equal((await loginFrom(server, ip, WRONG)).status, 403);
  assert.equal((await loginFrom(server, ip, ALICE.password)).status, 429);
}

describe('brute-force blocks: concurrency', () => {
  // default hash queue: the 50 client-secret checks of the burst share one verification
  const hasher = new LoginCountingHasher();
  let server: TestServer;
  after(() => server.close());

  it('evaluates exactly 10 of 50 parallel wrong attempts and then refuses the right password', async () => {
    server = await startTestServer(tenant(), { hasher });
    hasher.logins = 0;
    const burst = await Promise.all(
      Array.from({ length: 50 }, () => loginFrom(server, IP1, WRONG)),
    );
    const statuses = burst.map((r) => r.status);
    assert.equal(hasher.logins, 10);
    assert.equal(statuses.filter((s) => s === 403).length, 10);
    assert.equal(statuses.filter((s) => s === 429).length, 40);
    const right = await loginFrom(server, IP1, ALICE.password);
    assert.equal(right.status, 429);
    assert.equal(right.body.error_description, BRUTE_FORCE_TEXT);
    assert.equal(hasher.logins, 10);
  });

  it('gives no token to a right password inside a burst once the pair is blocked', async () => {
    hasher.logins = 0;
    const burst = await Promise.all([
      ...Array.from({ length: 20 }, () => loginFrom(server, IP1, WRONG)),
      loginFrom(server, IP1, ALICE.password),
    ]);
    assert.ok(burst.every((r) => r.status === 429));
    assert.equal(hasher.logins, 0);
  });
});

describe('brute-force blocks: restart, unblock paths', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-attack-'));
  let server: TestServer;
  after(async () => {
    await server.close();
    await cleanUp();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps blocks and counters across a restart', async () => {
    server = await startTestServer(tenant(), { dataDir });
    await blockAlice(server);
    for (let i = 0; i < 9; i++) assert.equal((await loginFrom(server, IP2, WRONG)).status, 403);
    await server.close();
    server = await startTestServer(tenant(), { dataDir });
    assert.equal((await loginFrom(server, IP1, ALICE.password)).status, 429);
    assert.equal((await loginFrom(server, IP2, WRONG)).status, 403);
    assert.equal((await loginFrom(server, IP2, ALICE.password)).status, 429);
  });

  it('mails one unblock notification with a single-use link, and never logs the ticket', async () => {
    const outbox = await server.storage.outbox.list(); // the development mail outbox (no SMTP)
    assert.equal(outbox.length, 2);
    const [first] = outbox;
    assert.equal(first?.to, ALICE.email);
    assert.equal(first?.subject, 'Your account has been blocked');
    assert.match(first?.text ?? '', new RegExp(`Your account ${ALICE.email} was blocked`));
    assert.match(
      first?.text ?? '',
      /10 consecutive failed login attempts from IP address 203\.0\.113\.10/,
    );
    const link = /(http\S+\/unblock\?ticket=([\w-]+))/.exec(first?.text ?? '');
    assert.ok(link?.[1] && link[2]);
    assert.equal(server.logText().includes(link[2]), false);
    assert.ok(server.logs.some((l) => l.msg === 'unblock notification queued'));

    // The link names the issuer of the server that wrote it (before the restart: another port).
    const page = await fetch(`${server.url}/unblock?ticket=${link[2]}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post"/);
    assert.equal(
      (await loginFrom(server, IP1, ALICE.password)).status,
      429,
      'GET does not unblock',
    );

    const spend = () =>
      fetch(`${server.url}/unblock`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ticket: link[2] ?? '' }).toString(),
      }).then(readResponse);
    const spent = await spend();
    assert.equal(spent.status, 200);
    assert.deepEqual(spent.body, { unblocked: true });
    assert.equal((await loginFrom(server, IP1, ALICE.password)).status, 200);
    assert.equal((await loginFrom(server, IP2, ALICE.password)).status, 429, 'only that pair');
    const again = await spend();
    assert.equal(again.status, 400);
    assert.deepEqual(again.body, {
      error: 'invalid_request',
      error_description: 'The unblock link is invalid, expired or already used',
    });
  });

  it('is lifted by `latchkey users unblock USER --ip IP`, one IP at a time', async () => {
    await blockAlice(server, IP1);
    const one = await runCli(['users', 'unblock', ALICE.email, '--ip', IP2, '--data', dataDir]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, `unblocked ${ALICE_ID} from ${IP2}: 1 block(s) removed\n`);
    assert.equal((await loginFrom(server, IP2, ALICE.password)).status, 200);
    assert.equal((await loginFrom(server, IP1, ALICE.password)).status, 429);
    const all = await runCli(['users', 'unblock', ALICE_ID, '--data', dataDir]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal((await loginFrom(server, IP1, ALICE.password)).status, 200);
    const unknown = await runCli(['users', 'unblock', 'nobody@example.com', '--data', dataDir]);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'latchkey: no user nobody@example.com\n');
  });

  it('is lifted by a password change (tenant file import), and keeps an admin block apart', async () => {
    await blockAlice(server, IP1);
    await server.close();
    const changed = tenant();
    const users = changed.users as Array<Record<string, unknown>>;
    const alice = users.find((u) => u.email === ALICE.email);
    if (alice) alice.password = 'a brand new passphrase';
    server = await startTestServer(changed, { dataDir });
    assert.equal((await loginFrom(server, IP1, 'a brand new passphrase')).status, 200);
    const bob = await loginFrom(server, IP1, 'bob-password-123', 'bob@example.com');
    assert.deepEqual([bob.status, bob.body.error], [401, 'unauthorized']);
  });
});

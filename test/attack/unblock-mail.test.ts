/**
 * The unblock link goes through the same mailer as MFA codes: with SMTP configured it is
 * delivered by SMTP (and nothing lands in the development outbox); a mail that cannot be sent
 * is logged without the link and the block stands.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { SmtpSettings } from '../../src/mailer/smtp-mailer.js';
import { ALICE } from '../helpers/fixtures.js';
import { readResponse, startTestServer, type TestServer } from '../helpers/server.js';
import { attackTenant, loginFrom, WRONG } from './helpers.js';

const IP = '203.0.113.77';
const tenant = () =>
  attackTenant({
    brute_force_protection: { max_attempts: 3, shields: ['block', 'user_notification'] },
    same_user_ip_limit: { enabled: false },
    account_throttling: { enabled: false },
  });

interface Received {
  to: string[];
  data: string;
}

function smtpSettings(port: number): SmtpSettings {
  return { host: '127.0.0.1', port, secure: false, from: 'Latchkey <no-reply@latchkey.test>' };
}

function startSmtp(received: Received[]): Promise<{ smtp: SMTPServer; port: number }> {
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        received.push({ to, data: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    smtp.listen(0, '127.0.0.1', () => {
      const address = smtp.server.address();
      resolve({ smtp, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

/** A port nothing listens on. */
function closedPort(): Promise<number> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The message with its quoted-printable soft breaks and escapes undone. */
function quotedPrintable(data: string): string {
  return data
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

async function blockAlice(server: TestServer): Promise<void> {
  for (let i = 0; i < 3; i++) assert.equal((await loginFrom(server, IP, WRONG)).status, 403);
  assert.equal((await loginFrom(server, IP, ALICE.password)).status, 429);
}

describe('unblock link over SMTP', () => {
  const received: Received[] = [];
  let smtp: SMTPServer;
  let server: TestServer;
  before(async () => {
    const started = await startSmtp(received);
    smtp = started.smtp;
    server = await startTestServer(tenant(), { mfa: { smtp: smtpSettings(started.port) } });
  });
  after(async () => {
    await server.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('delivers the link by SMTP, not to the outbox, and the link unblocks', async () => {
    await blockAlice(server);
    assert.equal(received.length, 1);
    assert.deepEqual(received[0]?.to, [ALICE.email]);
    const data = quotedPrintable(received[0]?.data ?? '');
    assert.match(data, /Subject: Your account has been blocked/);
    assert.match(data, /3 consecutive failed login attempts from IP address 203\.0\.113\.77/);
    const ticket = /\/unblock\?ticket=([\w-]+)/.exec(data)?.[1];
    assert.ok(ticket);
    assert.deepEqual(await server.storage.outbox.list(), [], 'nothing in the outbox');
    assert.equal(server.logText().includes(ticket), false);
    const spent = await fetch(`${server.url}/unblock`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ticket }).toString(),
    }).then(readResponse);
    assert.deepEqual(spent.body, { unblocked: true });
    assert.equal((await loginFrom(server, IP, ALICE.password)).status, 200);
  });
});

describe('unblock link when SMTP is down', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(tenant(), { mfa: { smtp: smtpSettings(await closedPort()) } });
  });
  after(() => server.close());

  it('logs that the mail was not sent, without the link, and keeps the block', async () => {
    await blockAlice(server);
    const line = server.logs.find((l) => l.msg === 'unblock notification not sent');
    assert.ok(line, 'a warning line');
    assert.equal(line.mailer, 'smtp');
    assert.equal(server.logText().includes('ticket='), false);
    assert.equal(
      server.logs.some((l) => l.msg === 'unblock notification queued'),
      false,
    );
  });
});

/**
 * Email codes delivered through a real SMTP server (`smtp-server` on 127.0.0.1) with SMTP
 * AUTH, instead of the development outbox; and the OTP-secret key taken from configuration.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { ALICE_ID } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { BACKEND, MFA_OOB, mfaApi, mfaTenant, mfaTokenForAlice } from './support.js';

interface Received {
  from: string;
  to: string[];
  data: string;
  user: string;
}

function startSmtp(received: Received[]): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'mail-secret')
        return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString('utf8'),
          user: String(session.user),
        });
        callback();
      });
    },
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
}

describe('MFA email over SMTP', () => {
  const received: Received[] = [];
  let smtp: SMTPServer;
  let server: TestServer;
  const KEY = 'a'.repeat(64);

  before(async () => {
    const started = await startSmtp(received);
    smtp = started.server;
    server = await startTestServer(mfaTenant(), {
      mfa: {
        smtp: {
          host: '127.0.0.1',
          port: started.port,
          secure: false,
          user: 'mailer',
          password: 'mail-secret',
          from: 'Latchkey <no-reply@latchkey.test>',
        },
        encryptionKey: KEY,
      },
    });
  });
  after(async () => {
    await server.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('sends the code to the address through SMTP, authenticated, and not to the outbox', async () => {
    const mfaToken = await mfaTokenForAlice(server);
    const res = await mfaApi(server, 'POST', '/mfa/associate', mfaToken, {
      authenticator_types: ['oob'],
      oob_channels: ['email'],
      email: 'alice.inbox@example.net',
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(received.length, 1);
    const [mail] = received;
    assert.equal(mail?.from, 'no-reply@latchkey.test');
    assert.deepEqual(mail?.to, ['alice.inbox@example.net']);
    assert.equal(mail?.user, 'mailer');
    assert.match(mail?.data ?? '', /Subject: Test verification code/);
    const code = /verification code is (\d{6})/.exec(mail?.data ?? '')?.[1];
    assert.ok(code, 'the mail holds the code');
    assert.deepEqual(await server.storage.outbox.list(), [], 'nothing in the outbox');
    const ok = await server.token({
      grant_type: MFA_OOB,
      mfa_token: mfaToken,
      oob_code: String(res.body.oob_code),
      binding_code: code,
      ...BACKEND,
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('uses the configured encryption key, writing no key file', async () => {
    assert.equal(existsSync(join(server.dataDir, 'encryption.key')), false);
    const mfaToken = await mfaTokenForAlice(server);
    const listed = await mfaApi(server, 'GET', '/mfa/authenticators', mfaToken);
    assert.equal((listed.body as unknown as unknown[]).length, 2);
    assert.ok((await server.storage.authenticators.listByUser(ALICE_ID)).every((a) => a.active));
  });
});

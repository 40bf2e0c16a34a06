import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Command } from 'commander';
import {
  addMailOptions,
  type MailFlags,
  smtpSettings,
} from '../../src/cli/commands/mail-options.js';

/** `serve`'s mail flags parsed from `argv` with LATCHKEY_SMTP_SECURE set to `env`. */
function secureFrom(env: string | undefined, argv: string[] = []): boolean | undefined {
  if (env === undefined) delete process.env.LATCHKEY_SMTP_SECURE;
  else process.env.LATCHKEY_SMTP_SECURE = env;
  const command = addMailOptions(new Command('serve').exitOverride());
  command.configureOutput({ writeErr: () => {} });
  command.parse(['node', 'serve', '--smtp-host', 'mail.example', ...argv]);
  return smtpSettings(command.opts<MailFlags>())?.secure;
}

describe('--smtp-secure and LATCHKEY_SMTP_SECURE', () => {
  afterEach(() => {
    delete process.env.LATCHKEY_SMTP_SECURE;
  });

  it('is off unless asked for; the bare flag turns it on', () => {
    assert.equal(secureFrom(undefined), false);
    assert.equal(secureFrom(undefined, ['--smtp-secure']), true);
  });

  it('reads true and false from the environment (false, 0, no, off and empty are off)', () => {
    for (const off of ['false', 'FALSE', '0', 'no', 'off', ''])
      assert.equal(secureFrom(off), false, off);
    for (const on of ['true', '1', 'yes', 'on']) assert.equal(secureFrom(on), true, on);
  });

  it('refuses any other value, naming it', () => {
    assert.throws(
      () => secureFrom('maybe'),
      /LATCHKEY_SMTP_SECURE.*expected true or false, got "maybe"/,
    );
  });
});

describe('SMTP flags without --smtp-host', () => {
  /** `serve`'s mail settings from `argv` alone (no host unless given). */
  function settingsFrom(argv: string[]): ReturnType<typeof smtpSettings> {
    const command = addMailOptions(new Command('serve').exitOverride());
    command.parse(['node', 'serve', ...argv]);
    return smtpSettings(command.opts<MailFlags>());
  }

  afterEach(() => {
    delete process.env.LATCHKEY_SMTP_SECURE;
    delete process.env.LATCHKEY_SMTP_FROM;
  });

  it('are an error naming each, not ignored (the mail would go to the outbox)', () => {
    assert.throws(() => settingsFrom(['--smtp-password', 'pw']), {
      message: '--smtp-password needs --smtp-host (or LATCHKEY_SMTP_HOST)',
    });
    assert.throws(() => settingsFrom(['--smtp-secure']), {
      message: '--smtp-secure needs --smtp-host (or LATCHKEY_SMTP_HOST)',
    });
    process.env.LATCHKEY_SMTP_FROM = 'a@example.com';
    assert.throws(() => settingsFrom(['--smtp-port', '25', '--smtp-user', 'u']), {
      message: '--smtp-port, --smtp-user, --smtp-from need --smtp-host (or LATCHKEY_SMTP_HOST)',
    });
  });

  it('no host and no server flag (or TLS switched off) means the outbox', () => {
    assert.equal(settingsFrom([]), undefined);
    process.env.LATCHKEY_SMTP_SECURE = 'false';
    assert.equal(settingsFrom([]), undefined);
    assert.equal(settingsFrom(['--smtp-host', 'mail.example', '--smtp-from', 'a@b'])?.from, 'a@b');
  });
});

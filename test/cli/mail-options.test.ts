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

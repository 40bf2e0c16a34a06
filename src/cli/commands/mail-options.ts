/**
 * @module cli/commands/mail-options
 *
 * `latchkey serve` options for MFA: the SMTP server that sends email codes and the key that
 * encrypts OTP secrets. Every flag has a `LATCHKEY_*` environment variable.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, parsePort } from '../../config/server-config.js';
import type { SmtpSettings } from '../../mailer/smtp-mailer.js';
import { nonEmpty } from './shared.js';

export interface MailFlags {
  smtpHost?: string;
  smtpPort?: string;
  smtpSecure?: boolean;
  smtpUser?: string;
  smtpPassword?: string;
  smtpFrom?: string;
  encryptionKey?: string;
}

export const DEFAULT_SMTP_FROM = 'Latchkey <no-reply@localhost>';

const SWITCH_VALUES: Readonly<Record<string, boolean>> = {
  true: true,
  '1': true,
  yes: true,
  on: true,
  false: false,
  '0': false,
  no: false,
  off: false,
  '': false,
};

/**
 * A switch's value from its environment variable or `--flag=value` (the bare flag is true):
 * `LATCHKEY_SMTP_SECURE=false` must turn TLS off, not on.
 */
export function parseSwitch(value: string): boolean {
  const key = value.trim().toLowerCase();
  if (!Object.hasOwn(SWITCH_VALUES, key))
    throw new InvalidArgumentError(`expected true or false, got "${value}"`);
  return SWITCH_VALUES[key] === true;
}

export function addMailOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--smtp-host <host>',
        'SMTP server for MFA codes and unblock links (default: dev outbox)',
      )
        .env('LATCHKEY_SMTP_HOST')
        .argParser(nonEmpty),
    )
    .addOption(
      new Option('--smtp-port <port>', 'SMTP port (default 587, or 465 with --smtp-secure)').env(
        'LATCHKEY_SMTP_PORT',
      ),
    )
    .addOption(
      new Option('--smtp-secure [bool]', 'implicit TLS (SMTPS) instead of STARTTLS (true/false)')
        .env('LATCHKEY_SMTP_SECURE')
        .argParser(parseSwitch),
    )
    .addOption(new Option('--smtp-user <user>', 'SMTP AUTH user').env('LATCHKEY_SMTP_USER'))
    .addOption(
      new Option('--smtp-password <password>', 'SMTP AUTH password (prefer the env variable)').env(
        'LATCHKEY_SMTP_PASSWORD',
      ),
    )
    .addOption(
      new Option('--smtp-from <address>', `From address (default "${DEFAULT_SMTP_FROM}")`)
        .env('LATCHKEY_SMTP_FROM')
        .argParser(nonEmpty),
    )
    .addOption(
      new Option(
        '--encryption-key <key>',
        '32-byte key (base64url or hex) encrypting OTP secrets (default: <data>/encryption.key)',
      ).env('LATCHKEY_ENCRYPTION_KEY'),
    );
}

/** `--smtp-port`: 1 to 65535 (0, "any free port", means nothing for a server to connect to). */
function smtpPort(value: string): number {
  try {
    const port = parsePort(value);
    if (port === 0) throw new ConfigError(`port "0" must be an integer from 1 to 65535`);
    return port;
  } catch (err) {
    throw new ConfigError(`--smtp-port (LATCHKEY_SMTP_PORT): ${(err as Error).message}`);
  }
}

/** The flags that describe an SMTP server, which mean nothing without `--smtp-host`. */
const NEEDS_HOST: ReadonlyArray<[keyof MailFlags, string]> = [
  ['smtpPort', '--smtp-port'],
  ['smtpUser', '--smtp-user'],
  ['smtpPassword', '--smtp-password'],
  ['smtpFrom', '--smtp-from'],
];

/**
 * The SMTP settings the flags describe; undefined when no host is given. A server flag without a
 * host is an error rather than ignored: the mail would go to the development outbox unnoticed.
 * `--smtp-secure` off (`LATCHKEY_SMTP_SECURE=false`) says nothing, so only `true` counts.
 */
export function smtpSettings(flags: MailFlags): SmtpSettings | undefined {
  if (flags.smtpHost === undefined) {
    const given = NEEDS_HOST.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag);
    if (flags.smtpSecure === true) given.push('--smtp-secure');
    if (given.length > 0)
      throw new ConfigError(
        `${given.join(', ')} ${given.length === 1 ? 'needs' : 'need'} --smtp-host (or LATCHKEY_SMTP_HOST)`,
      );
    return undefined;
  }
  const secure = flags.smtpSecure === true;
  return {
    host: flags.smtpHost,
    port: flags.smtpPort !== undefined ? smtpPort(flags.smtpPort) : secure ? 465 : 587,
    secure,
    user: flags.smtpUser,
    password: flags.smtpPassword,
    from: flags.smtpFrom ?? DEFAULT_SMTP_FROM,
  };
}

/**
 * @module cli/commands/mail-options
 *
 * `latchkey serve` options for MFA: the SMTP server that sends email codes and the key that
 * encrypts OTP secrets. Every flag has a `LATCHKEY_*` environment variable.
 */
import { type Command, Option } from 'commander';
import { ConfigError, parsePort } from '../../config/server-config.js';
import type { SmtpSettings } from '../../mailer/smtp-mailer.js';

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

export function addMailOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--smtp-host <host>',
        'SMTP server for MFA codes and unblock links (default: dev outbox)',
      ).env('LATCHKEY_SMTP_HOST'),
    )
    .addOption(
      new Option('--smtp-port <port>', 'SMTP port (default 587, or 465 with --smtp-secure)').env(
        'LATCHKEY_SMTP_PORT',
      ),
    )
    .addOption(
      new Option('--smtp-secure', 'implicit TLS (SMTPS) instead of STARTTLS').env(
        'LATCHKEY_SMTP_SECURE',
      ),
    )
    .addOption(new Option('--smtp-user <user>', 'SMTP AUTH user').env('LATCHKEY_SMTP_USER'))
    .addOption(
      new Option('--smtp-password <password>', 'SMTP AUTH password (prefer the env variable)').env(
        'LATCHKEY_SMTP_PASSWORD',
      ),
    )
    .addOption(
      new Option('--smtp-from <address>', `From address (default "${DEFAULT_SMTP_FROM}")`).env(
        'LATCHKEY_SMTP_FROM',
      ),
    )
    .addOption(
      new Option(
        '--encryption-key <key>',
        '32-byte key (base64url or hex) encrypting OTP secrets (default: <data>/encryption.key)',
      ).env('LATCHKEY_ENCRYPTION_KEY'),
    );
}

/** The SMTP settings the flags describe; undefined when no host is given. */
export function smtpSettings(flags: MailFlags): SmtpSettings | undefined {
  if (flags.smtpHost === undefined) {
    if (flags.smtpUser !== undefined || flags.smtpPort !== undefined)
      throw new ConfigError('--smtp-user and --smtp-port need --smtp-host');
    return undefined;
  }
  const secure = flags.smtpSecure === true;
  return {
    host: flags.smtpHost,
    port: flags.smtpPort !== undefined ? parsePort(flags.smtpPort) : secure ? 465 : 587,
    secure,
    user: flags.smtpUser,
    password: flags.smtpPassword,
    from: flags.smtpFrom ?? DEFAULT_SMTP_FROM,
  };
}

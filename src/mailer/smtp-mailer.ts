/**
 * @module mailer/smtp-mailer
 *
 * Delivery through an SMTP server with nodemailer. `secure` means implicit TLS (port 465);
 * otherwise nodemailer upgrades with STARTTLS when the server offers it. nodemailer is loaded
 * at the first message, so commands that send none do not pay for it.
 */
import type { Transporter } from 'nodemailer';
import type { Mailer, MailMessage } from './mailer.js';

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (usually port 465). */
  secure: boolean;
  /** SMTP AUTH user and password; both or neither. */
  user?: string;
  password?: string;
  /** The `From` address, e.g. `Latchkey <no-reply@example.com>`. */
  from: string;
}

async function createTransport(settings: SmtpSettings): Promise<Transporter> {
  const { default: nodemailer } = await import('nodemailer');
  const auth =
    settings.user !== undefined ? { user: settings.user, pass: settings.password ?? '' } : null;
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(auth ? { auth } : {}),
  });
}

export class SmtpMailer implements Mailer {
  readonly kind = 'smtp';
  #transport: Promise<Transporter> | null = null;

  constructor(private readonly settings: SmtpSettings) {}

  async send(message: MailMessage): Promise<void> {
    this.#transport ??= createTransport(this.settings);
    await (await this.#transport).sendMail({
      from: this.settings.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  }
}

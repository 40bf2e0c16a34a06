/**
 * @module mailer/smtp-mailer
 *
 * Delivery through an SMTP server with nodemailer. `secure` means implicit TLS (port 465);
 * otherwise nodemailer upgrades with STARTTLS when the server offers it.
 */
import nodemailer, { type Transporter } from 'nodemailer';
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

export class SmtpMailer implements Mailer {
  readonly kind = 'smtp';
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(settings: SmtpSettings) {
    const auth =
      settings.user !== undefined ? { user: settings.user, pass: settings.password ?? '' } : null;
    this.#transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(auth ? { auth } : {}),
    });
    this.#from = settings.from;
  }

  async send(message: MailMessage): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  }

  close(): void {
    this.#transport.close();
  }
}

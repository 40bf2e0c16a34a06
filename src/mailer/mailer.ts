/**
 * @module mailer/mailer
 *
 * How Latchkey sends email (MFA codes, unblock links): one `send`. {@link SmtpMailer} delivers through an SMTP
 * server; {@link OutboxMailer} records the message in the development outbox instead, when no
 * SMTP server is configured.
 */

/** One plain-text message. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** `smtp` or `outbox`, for logs and docs. */
  readonly kind: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<void>;
}

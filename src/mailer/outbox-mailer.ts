/**
 * @module mailer/outbox-mailer
 *
 * The development outbox: when no SMTP server is configured, messages are recorded in the
 * `outbox` table instead of being sent (tests and local development read them there). The
 * table holds MFA codes and unblock links in clear, so it is for development only; configure
 * SMTP in production.
 */
import type { Clock } from '../shared/clock.js';
import { randomToken } from '../shared/crypto.js';
import type { OutboxStore } from '../storage/storage.js';
import type { Mailer, MailMessage } from './mailer.js';

export class OutboxMailer implements Mailer {
  readonly kind = 'outbox';

  constructor(
    private readonly outbox: OutboxStore,
    private readonly clock: Clock,
  ) {}

  async send(message: MailMessage): Promise<void> {
    await this.outbox.insert({
      id: `msg_${randomToken(12)}`,
      ...message,
      created_at: new Date(this.clock.now()).toISOString(),
    });
  }
}

/**
 * @module mailer/create-mailer
 *
 * Picks the mailer: SMTP when configured, else the development outbox.
 */
import type { Clock } from '../shared/clock.js';
import type { Storage } from '../storage/storage.js';
import type { Mailer } from './mailer.js';
import { OutboxMailer } from './outbox-mailer.js';
import { SmtpMailer, type SmtpSettings } from './smtp-mailer.js';

export function createMailer(
  smtp: SmtpSettings | undefined,
  storage: Storage,
  clock: Clock,
): Mailer {
  return smtp ? new SmtpMailer(smtp) : new OutboxMailer(storage.outbox, clock);
}

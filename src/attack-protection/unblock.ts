/**
 * @module attack-protection/unblock
 *
 * The `user_notification` shield: when a block lands, a single-use unblock link is stored (by
 * the SHA-256 of its ticket) and mailed to the user through `provider.mailer` (SMTP, or the
 * development outbox); a log line without the link is written. Spending the ticket clears that
 * one block.
 */
import { OAuthError } from '../errors/oauth-error.js';
import type { Provider } from '../provider/provider.js';
import { epochSeconds } from '../shared/clock.js';
import { randomToken, sha256 } from '../shared/crypto.js';
import type { LoginGate, User } from '../storage/models.js';
import { BLOCK_SECONDS } from './settings.js';

/** Path of the unblock route under the issuer. */
export const UNBLOCK_PATH = 'unblock';

function messageBody(user: User, gate: LoginGate, link: string): string {
  const where = gate.ip ? ` from IP address ${gate.ip}` : '';
  return [
    `Your account ${user.email} was blocked after ${gate.failures} consecutive failed login attempts${where}.`,
    `If this was you, open this link to unblock it: ${link}`,
    'If it was not you, change your password: that also removes the block.',
  ].join('\n\n');
}

/**
 * Stores an unblock ticket for `gate` and mails its link to the user (nothing when the user has
 * no email). A mail that cannot be sent is logged (without the link), never thrown: the block
 * stands either way and the login gets its 429.
 */
export async function queueUnblockNotification(
  provider: Provider,
  user: User,
  gate: LoginGate,
): Promise<void> {
  if (!user.email) return;
  const ticket = randomToken(32);
  await provider.storage.unblockTickets.insert({
    ticket_hash: sha256(ticket),
    gate_key: gate.key,
    user_id: user.user_id,
    expires_at: epochSeconds(provider.clock) + BLOCK_SECONDS,
  });
  const link = `${provider.urls.issuer}${UNBLOCK_PATH}?ticket=${ticket}`;
  const log = { user_id: user.user_id, mailer: provider.mailer.kind };
  try {
    await provider.mailer.send({
      to: user.email,
      subject: 'Your account has been blocked',
      text: messageBody(user, gate, link),
    });
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    const reason = typeof code === 'string' ? code : 'send failed';
    provider.logger.warn({ ...log, reason }, 'unblock notification not sent');
    return;
  }
  provider.logger.info(log, 'unblock notification queued');
}

/** Spends an unblock ticket and clears its block; 400 when the ticket is not usable. */
export async function redeemUnblockTicket(provider: Provider, ticket: string): Promise<void> {
  const { storage } = provider;
  const now = epochSeconds(provider.clock);
  const spent = await storage.transaction(async (tx) => {
    const found = await tx.unblockTickets.consume(sha256(ticket), now);
    if (found) await tx.loginGates.clear(found.gate_key);
    return found;
  });
  if (!spent) throw new OAuthError('invalid_unblock_ticket');
  provider.logger.info({ user_id: spent.user_id }, 'block removed by unblock link');
}

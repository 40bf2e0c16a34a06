/**
 * @module maintenance/purge
 *
 * The one maintenance job: keeps every store with expiring rows bounded (AU-8). It deletes
 * login gates whose failures are older than the block period, rate buckets that are full
 * again, expired unblock tickets, tenant-log events older than the retention period, and the
 * expired rows of the token, proof, MFA, replay and counter stores. A running server runs it
 * every hour (`src/server.ts` starts and stops it).
 */
import { BLOCK_SECONDS } from '../attack-protection/settings.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../shared/clock.js';
import type { Storage } from '../storage/storage.js';

/** How long the tenant log keeps events (Auth0 keeps 2 to 30 days by plan). */
export const LOG_RETENTION_SECONDS = 30 * 24 * 3600;

/**
 * `mfa_token`s and emailed challenges answer "expired" (not "unknown") for this long after they
 * expire, so they are purged only then.
 */
export const EXPIRED_ANSWER_SECONDS = 24 * 3600;

/** How often a running server purges (ms). */
export const PURGE_INTERVAL_MS = 3_600_000;

/** Rows deleted, per store. */
export interface PurgeCounts {
  gates: number;
  buckets: number;
  tickets: number;
  events: number;
  accessTokens: number;
  refreshTokens: number;
  replay: number;
  dpopProofs: number;
  counters: number;
  mfaTokens: number;
  oobChallenges: number;
}

/** Deletes what no longer counts at the clock's now. */
export async function purgeExpired(storage: Storage, clock: Clock): Promise<PurgeCounts> {
  const nowMs = clock.now();
  const now = Math.floor(nowMs / 1000);
  return {
    gates: await storage.loginGates.purgeExpired(now - BLOCK_SECONDS, now),
    buckets: await storage.rateBuckets.purgeFull(nowMs),
    tickets: await storage.unblockTickets.purgeExpired(now),
    events: await storage.logEvents.purgeBefore(
      new Date(nowMs - LOG_RETENTION_SECONDS * 1000).toISOString(),
    ),
    accessTokens: await storage.accessTokens.purgeExpired(now),
    refreshTokens: await storage.refreshTokens.purgeExpired(now),
    replay: await storage.replay.purgeExpired(now),
    dpopProofs: await storage.dpopProofs.purgeExpired(now),
    counters: await storage.counters.purgeExpired(now),
    mfaTokens: await storage.mfaTokens.purgeExpired(now - EXPIRED_ANSWER_SECONDS),
    oobChallenges: await storage.oobChallenges.purgeExpired(now - EXPIRED_ANSWER_SECONDS),
  };
}

/** Purges every `intervalMs` until the returned function is called. */
export function schedulePurge(
  storage: Storage,
  clock: Clock,
  logger: Logger,
  intervalMs = PURGE_INTERVAL_MS,
): () => void {
  const timer = setInterval(() => {
    purgeExpired(storage, clock).then(
      (counts) => logger.debug({ counts }, 'expired state purged'),
      (err: unknown) => logger.warn({ err }, 'maintenance purge failed'),
    );
  }, intervalMs).unref();
  return () => clearInterval(timer);
}

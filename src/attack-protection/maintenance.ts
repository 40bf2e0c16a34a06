/**
 * @module attack-protection/maintenance
 *
 * Keeps attack-protection state bounded (AU-8): gates whose failures are older than the
 * block period, buckets that are full again, expired unblock tickets, and tenant-log events
 * older than the retention period are deleted. A running server does this every hour.
 */
import type { Logger } from '../observability/logger.js';
import type { Clock } from '../shared/clock.js';
import type { Storage } from '../storage/storage.js';
import { BLOCK_SECONDS } from './settings.js';

/** How long the tenant log keeps events (Auth0 keeps 2 to 30 days by plan). */
export const LOG_RETENTION_SECONDS = 30 * 24 * 3600;

/** How often a running server purges (ms). */
export const PURGE_INTERVAL_MS = 3_600_000;

export interface PurgeCounts {
  gates: number;
  buckets: number;
  tickets: number;
  events: number;
}

/** Deletes what no longer counts at the clock's now. */
export async function purgeAttackState(storage: Storage, clock: Clock): Promise<PurgeCounts> {
  const nowMs = clock.now();
  const now = Math.floor(nowMs / 1000);
  return {
    gates: await storage.loginGates.purgeExpired(now - BLOCK_SECONDS, now),
    buckets: await storage.rateBuckets.purgeFull(nowMs),
    tickets: await storage.notifications.purgeExpired(now),
    events: await storage.logEvents.purgeBefore(
      new Date(nowMs - LOG_RETENTION_SECONDS * 1000).toISOString(),
    ),
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
    purgeAttackState(storage, clock).then(
      (counts) => logger.debug({ counts }, 'attack-protection state purged'),
      (err: unknown) => logger.warn({ err }, 'attack-protection purge failed'),
    );
  }, intervalMs).unref();
  return () => clearInterval(timer);
}

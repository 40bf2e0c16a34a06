/**
 * @module bench/attack-events
 *
 * After the attack scenario: what the server itself says happened, from the `auth event …`
 * lines of its log (`--log-level info`), tallied per address range of bench/attack-tenant.ts by
 * the end-user IP attack protection counted (`event.ip`). `fu`/`fp` are written only after the
 * password hash ran, `sepft` after a successful login, `limit_*` when a throttle refused one.
 */
import { readFileSync } from 'node:fs';
import { NETS, type NetName } from './attack-tenant.js';

export type EventTally = Record<NetName | 'other', Record<string, number>>;

/** `10.1.2.3` is in `10.0.0.0/8` (IPv4 only: the bench uses IPv4). */
function inCidr(ip: string, cidr: string): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base) / size);
}

function netOf(ip: unknown): NetName | 'other' {
  if (typeof ip !== 'string' || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return 'other';
  const found = (Object.keys(NETS) as NetName[]).find((n) => inCidr(ip, NETS[n].cidr));
  return found ?? 'other';
}

/** Event counts by range and type; null when the log has no events (log level above info). */
export function tallyEvents(logFile: string): EventTally | null {
  const tally: EventTally = { legit: {}, attack: {}, spray: {}, other: {} };
  let seen = 0;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"auth event ')) continue;
    try {
      const { event } = JSON.parse(line) as { event?: { type?: string; ip?: unknown } };
      if (!event?.type) continue;
      const bucket = tally[netOf(event.ip)];
      bucket[event.type] = (bucket[event.type] ?? 0) + 1;
      seen++;
    } catch {
      // a line cut off at the end of the file
    }
  }
  return seen > 0 ? tally : null;
}

const limits = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([type]) => type.startsWith('limit_'))
    .reduce((sum, [, n]) => sum + n, 0);

/** The flood reached the hasher unthrottled, and no legitimate login was throttled. */
export function eventVerdicts(t: EventTally | null): Record<string, boolean> {
  if (t === null) return {};
  return {
    'flood hashed (fu from attack IPs)': (t.attack.fu ?? 0) + (t.attack.fp ?? 0) > 0,
    'no throttling of attack IPs': limits(t.attack) === 0,
    'no throttling of legit IPs': limits(t.legit) === 0 && (t.legit.sepft ?? 0) > 0,
  };
}

export function formatEvents(t: EventTally | null): string {
  if (t === null) return 'server events: none in the log (log level above info)';
  const part = (name: string, c: Record<string, number>) =>
    `${name} ${
      Object.entries(c)
        .sort()
        .map(([k, v]) => `${k}×${v}`)
        .join(' ') || '–'
    }`;
  return `server events by end-user IP range: ${(Object.keys(t) as Array<keyof EventTally>)
    .map((k) => part(k, t[k]))
    .join('; ')}`;
}

/**
 * @module http/connection-limits
 *
 * Caps on open connections (checklist DS-6): at most `total` at once (node's
 * `server.maxConnections`: more are closed as they arrive), and at most `perAddress` from one
 * client address, so one client holding connections open (slowloris, a leaking pool) cannot
 * take them all. An IPv6 client counts per /64, the block one host or household gets. A
 * trusted proxy's connections are not counted per address: they carry everyone's requests.
 * The read timeouts (`app.ts`) bound how long an idle or slow connection stays. ADR 0021.
 */
import type { Server, Socket } from 'node:net';
import { canonicalIp } from '../attack-protection/ip-address.js';

export interface ConnectionLimits {
  /** Open connections at most, in all. */
  total: number;
  /** Open connections at most from one client address (IPv6: one /64). */
  perAddress: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { total: 10_000, perAddress: 256 };

/** How often a refusal is logged at most (a flood must not flood the log). */
const LOG_EVERY_MS = 60_000;

/** The first 64 bits of a canonical IPv6 address, as four groups. */
function ipv6Prefix64(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** What a client address counts as: itself (IPv4), its /64 (IPv6). */
export function addressGroup(remoteAddress: string): string {
  const ip = canonicalIp(remoteAddress) ?? remoteAddress;
  return ip.includes(':') ? ipv6Prefix64(ip) : ip;
}

/**
 * Applies `limits` to `server`. `exempt` names addresses counted only in the total (trusted
 * proxies); `onRefused` hears of refusals, at most once a minute.
 */
export function limitConnections(
  server: Server,
  limits: ConnectionLimits,
  exempt: (ip: string) => boolean,
  onRefused: (reason: 'total' | 'per_address', address: string) => void,
): void {
  server.maxConnections = limits.total;
  let lastLog = Number.NEGATIVE_INFINITY;
  const refused = (reason: 'total' | 'per_address', address: string) => {
    if (Date.now() - lastLog < LOG_EVERY_MS) return;
    lastLog = Date.now();
    onRefused(reason, address);
  };
  server.on('drop', (data?: { remoteAddress?: string }) =>
    refused('total', addressGroup(data?.remoteAddress ?? '')),
  );
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const remote = canonicalIp(socket.remoteAddress ?? '') ?? '';
    if (exempt(remote)) return;
    const group = addressGroup(remote);
    const count = (open.get(group) ?? 0) + 1;
    if (count > limits.perAddress) {
      refused('per_address', group);
      socket.destroy();
      return;
    }
    open.set(group, count);
    socket.once('close', () => {
      const left = (open.get(group) ?? 1) - 1;
      if (left > 0) open.set(group, left);
      else open.delete(group);
    });
  });
}

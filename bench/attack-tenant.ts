/**
 * @module bench/attack-tenant
 *
 * The attack scenario's tenant and its IP plan: the bench tenant plus a crowd of 40 legitimate
 * users, the bench client trusted to forward end-user IPs (`is_token_endpoint_ip_header_trusted`;
 * it authenticates with its secret, so `auth0-forwarded-for` is believed), and attack
 * protection set so that the flood really reaches the hasher:
 *
 * - the attacking network is on the `suspicious_ip_throttling` allowlist (its default, 100
 *   failures per IP, would turn each attacking IP away with cheap 429s within a second) and on
 *   the `brute_force_protection` allowlist (belt and braces: the flood's 50,000 usernames keep
 *   every identifier+IP pair far below 10 failures anyway);
 * - `account_throttling` (20 consecutive failures of one account) and `same_user_ip_limit` (20
 *   logins of one user from one IP) keep their defaults: no account or user+IP pair of the flood,
 *   the spray or the legitimate load comes near them;
 * - the legitimate IPs and the spray IPs are on no allowlist: every check still applies to them.
 *
 * bench/attack-events.ts verifies all this afterwards from the server's log.
 */
import { BENCH_CLIENT, BENCH_DB, benchTenant } from './tenant.js';

export const CROWD = Array.from({ length: 40 }, (_, n) => ({
  email: `crowd${n}@bench.latchkey.test`,
  password: `crowd-password-${n}-battery-staple`,
}));

/** Address plan (documentation and shared ranges, never routed). */
export const NETS = {
  legit: { cidr: '198.51.100.0/24', ip: (i: number) => `198.51.100.${(i % 250) + 1}` },
  attack: { cidr: '203.0.113.0/24', ip: (i: number) => `203.0.113.${(i % 250) + 1}` },
  spray: { cidr: '100.64.0.0/10', ip: (i: number) => `100.64.${(i >> 8) & 255}.${i & 255}` },
} as const;

export type NetName = keyof typeof NETS;

/** The first `count` addresses of `net`. */
export function ipsOf(net: NetName, count: number): string[] {
  return Array.from({ length: count }, (_, i) => NETS[net].ip(i));
}

/** What the tenant allowlists, for the report. */
export const ALLOWLISTED = {
  'suspicious_ip_throttling.allowlist': [NETS.attack.cidr],
  'brute_force_protection.allowlist': [NETS.attack.cidr],
};

export function attackTenant(): Record<string, unknown> {
  const tenant = benchTenant();
  const clients = tenant.clients as Array<Record<string, unknown>>;
  const client = clients.find((c) => c.client_id === BENCH_CLIENT.id);
  if (!client) throw new Error('bench client missing from the bench tenant');
  client.is_token_endpoint_ip_header_trusted = true;
  const users = tenant.users as Array<Record<string, unknown>>;
  for (const u of CROWD)
    users.push({
      connection: BENCH_DB,
      email: u.email,
      password: u.password,
      email_verified: true,
    });
  tenant.attack_protection = {
    suspicious_ip_throttling: {
      enabled: true,
      allowlist: ALLOWLISTED['suspicious_ip_throttling.allowlist'],
    },
    brute_force_protection: {
      enabled: true,
      allowlist: ALLOWLISTED['brute_force_protection.allowlist'],
    },
    account_throttling: { enabled: true },
    same_user_ip_limit: { enabled: true },
  };
  return tenant;
}

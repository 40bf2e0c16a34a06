/**
 * The tenant and requests the attack-protection tests share: the base tenant plus `relay`, a
 * confidential client trusted to forward its users' IPs in `auth0-forwarded-for`, and
 * `attack_protection` settings given per test.
 */
import type { AttackProtectionPatch } from '../../src/attack-protection/settings.js';
import { CountingHasher } from '../helpers/counting-hasher.js';
import { ALICE, baseTenant, DB, PASSWORD_REALM, SECRET } from '../helpers/fixtures.js';
import type { TestResponse, TestServer } from '../helpers/server.js';

export const RELAY_SECRET = 'relay-secret-value';

/** The base tenant with the `relay` client and `settings`. */
export function attackTenant(settings: AttackProtectionPatch = {}): Record<string, unknown> {
  const { tenant } = baseTenant();
  const clients = tenant.clients as Array<Record<string, unknown>>;
  clients.push({
    client_id: 'relay',
    name: 'Relay',
    client_secret: RELAY_SECRET,
    grant_types: ['password', PASSWORD_REALM],
    is_token_endpoint_ip_header_trusted: true,
  });
  const connections = tenant.connections as Array<{ name: string; enabled_clients: string[] }>;
  connections.find((c) => c.name === DB)?.enabled_clients.push('relay');
  return { ...tenant, attack_protection: settings };
}

/** A password login for `username` through `relay`, as if from the end user at `ip`. */
export function loginFrom(
  server: TestServer,
  ip: string,
  password: string,
  username = ALICE.email,
): Promise<TestResponse> {
  return server.token(
    { grant_type: 'password', client_id: 'relay', client_secret: RELAY_SECRET, username, password },
    { headers: { 'auth0-forwarded-for': ip } },
  );
}

/** A password login for `username` through `backend` (not trusted to forward IPs). */
export function login(
  server: TestServer,
  password: string,
  username = ALICE.email,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  return server.token(
    { grant_type: 'password', client_id: 'backend', client_secret: SECRET, username, password },
    { headers },
  );
}

export const BRUTE_FORCE_TEXT =
  "Your account has been blocked after multiple consecutive login attempts. We've sent you a notification via your preferred contact method with instructions on how to unblock it.";
export const SUSPICIOUS_IP_TEXT =
  'We have detected suspicious login behavior and further attempts will be blocked. Please contact the administrator.';
export const RATE_LIMITED_TEXT = 'Too many login attempts. Please try again later.';

export const DAY = 24 * 3600;

export const WRONG = 'not the password';

/** Counts only verifications of end-user passwords (client secrets use the hasher too). */
export class LoginCountingHasher extends CountingHasher {
  logins = 0;
  override verify(password: string, storedHash: string | null, source?: string): Promise<boolean> {
    if (password === WRONG || password === ALICE.password) this.logins++;
    return super.verify(password, storedHash, source);
  }
}

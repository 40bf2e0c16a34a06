/**
 * @module bench/attack-tenant
 *
 * The attack scenario's tenant: the bench tenant plus a crowd of legitimate users (so no
 * user+IP pair of the legitimate load comes near a per-user rate limit), the bench client
 * trusted to forward end-user IPs (`is_token_endpoint_ip_header_trusted`), and the attacking
 * IPs on the suspicious-IP throttling allowlist so that their flood really reaches the hasher.
 * The last two are only written when this build's tenant schema knows the field (the attack
 * protection branch adds them); {@link attackTenant} says which were applied.
 */
import { ClientSchema, TenantFileSchema } from '../src/tenant/schema.js';
import { BENCH_CLIENT, BENCH_DB, benchTenant } from './tenant.js';

export const CROWD = Array.from({ length: 40 }, (_, n) => ({
  email: `crowd${n}@bench.latchkey.test`,
  password: `crowd-password-${n}-battery-staple`,
}));

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Path of property names (array items skipped) to the first property called `name`. */
function findProperty(node: SchemaNode, name: string, depth = 0): string[] | null {
  const properties = node.properties ?? node.items?.properties;
  if (!properties || depth > 4) return null;
  if (name in properties) return [name];
  for (const [key, child] of Object.entries(properties)) {
    const rest = findProperty(child, name, depth + 1);
    if (rest) return [key, ...rest];
  }
  return null;
}

function schemaAt(node: SchemaNode, path: string[]): SchemaNode | undefined {
  let current: SchemaNode | undefined = node;
  for (const key of path) current = (current?.properties ?? current?.items?.properties)?.[key];
  return current;
}

function setAt(target: Record<string, unknown>, path: string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    current[key] ??= {};
    current = current[key] as Record<string, unknown>;
  }
  current[path.at(-1) ?? ''] = value;
}

export interface AttackTenant {
  tenant: Record<string, unknown>;
  /** The client may set the end-user IP with `auth0-forwarded-for`. */
  forwardedForTrusted: boolean;
  /** Where the attacking IPs were allowlisted from IP throttling, or null. */
  throttlingAllowlist: string | null;
}

export function attackTenant(attackerIps: string[]): AttackTenant {
  const tenant = benchTenant();
  const clients = tenant.clients as Array<Record<string, unknown>>;
  const client = clients.find((c) => c.client_id === BENCH_CLIENT.id) ?? {};
  const forwardedForTrusted =
    'is_token_endpoint_ip_header_trusted' in (ClientSchema as SchemaNode).properties!;
  if (forwardedForTrusted) client.is_token_endpoint_ip_header_trusted = true;
  const users = tenant.users as Array<Record<string, unknown>>;
  for (const u of CROWD)
    users.push({
      connection: BENCH_DB,
      email: u.email,
      password: u.password,
      email_verified: true,
    });

  const root = TenantFileSchema as SchemaNode;
  const throttling = findProperty(root, 'suspicious_ip_throttling');
  const allowlist = throttling && schemaAt(root, [...throttling, 'allowlist']);
  if (throttling && allowlist) setAt(tenant, [...throttling, 'allowlist'], attackerIps);
  return {
    tenant,
    forwardedForTrusted,
    throttlingAllowlist: throttling && allowlist ? [...throttling, 'allowlist'].join('.') : null,
  };
}

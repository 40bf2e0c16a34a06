/**
 * @module tenant/export-tenant
 *
 * Writes storage back out as a tenant file that {@link importTenant} accepts: secrets as
 * `client_secret_hash` / `password_hash`, credentials as SPKI PEM, and every `${` in a string
 * escaped as `$${` so that environment expansion on import gives back the same strings.
 * Generated ids of APIs, client grants and connections, and users' timestamps, are not part of
 * the file. `attack_protection` is written once settings are stored (every section, every field),
 * and left out while the defaults apply, so that a later version's defaults still reach it.
 */
import { stringify } from 'yaml';
import type { Client, ClientGrant, Connection, ResourceServer, User } from '../storage/models.js';
import type { Storage } from '../storage/storage.js';
import { escapeEnvReferences } from './env-substitution.js';
import { exportGuardian } from './guardian.js';
import type {
  TenantFile,
  TenantFileClient,
  TenantFileClientGrant,
  TenantFileConnection,
  TenantFileResourceServer,
  TenantFileUser,
} from './schema.js';

function exportClient(client: Client): TenantFileClient {
  const out: TenantFileClient = { client_id: client.client_id, name: client.name };
  if (client.client_secret_hash !== null) out.client_secret_hash = client.client_secret_hash;
  out.app_type = client.app_type;
  out.grant_types = [...client.grant_types];
  out.token_endpoint_auth_method = client.token_endpoint_auth_method;
  const credentials = client.client_authentication_methods?.private_key_jwt.credentials ?? [];
  if (credentials.length > 0) {
    out.client_authentication_methods = {
      private_key_jwt: {
        credentials: credentials.map((c) => ({
          name: c.name,
          credential_type: c.credential_type,
          pem: c.pem,
          alg: c.alg,
          kid: c.id,
        })),
      },
    };
  }
  out.is_token_endpoint_ip_header_trusted = client.is_token_endpoint_ip_header_trusted;
  out.jwt_configuration = { lifetime_in_seconds: client.jwt_configuration.lifetime_in_seconds };
  out.refresh_token = { ...client.refresh_token };
  out.allowed_origins = [...client.allowed_origins];
  out.web_origins = [...client.web_origins];
  if (client.require_proof_of_possession) out.require_proof_of_possession = true;
  return out;
}

function exportClientGrant(grant: ClientGrant): TenantFileClientGrant {
  return { client_id: grant.client_id, audience: grant.audience, scope: [...grant.scope] };
}

function exportResourceServer(api: ResourceServer): TenantFileResourceServer {
  const pop = api.proof_of_possession;
  return {
    ...(pop !== null && { proof_of_possession: { ...pop } }),
    identifier: api.identifier,
    name: api.name,
    scopes: api.scopes.map((s) => ({ value: s.value, description: s.description })),
    token_lifetime: api.token_lifetime,
    allow_offline_access: api.allow_offline_access,
    signing_alg: api.signing_alg,
    token_dialect: api.token_dialect,
  };
}

function exportConnection(connection: Connection): TenantFileConnection {
  return {
    name: connection.name,
    strategy: connection.strategy,
    enabled_clients: [...connection.enabled_clients],
    options: {
      requires_username: connection.options.requires_username,
      ...(connection.options.mfa ? { mfa: { ...connection.options.mfa } } : {}),
    },
  };
}

const OPTIONAL_USER_FIELDS = [
  'email',
  'username',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'picture',
] as const;

function exportUser(user: User): TenantFileUser {
  const out: TenantFileUser = { user_id: user.user_id, connection: user.connection };
  for (const field of OPTIONAL_USER_FIELDS) {
    const value = user[field];
    if (value !== null) out[field] = value;
  }
  out.email_verified = user.email_verified;
  out.app_metadata = structuredClone(user.app_metadata);
  out.user_metadata = structuredClone(user.user_metadata);
  out.blocked = user.blocked;
  if (user.password_hash !== null) out.password_hash = user.password_hash;
  return out;
}

/**
 * Every tenant setting and record in `storage` as a tenant file. The result holds hashes,
 * never clear secrets, but is still sensitive.
 */
export async function exportTenant(storage: Storage): Promise<TenantFile> {
  const settings = await storage.tenant.get();
  const file: TenantFile = {
    tenant: {
      default_directory: settings.default_directory,
      default_audience: settings.default_audience,
      friendly_name: settings.friendly_name,
      resource_parameter_profile: settings.resource_parameter_profile,
    },
    clients: (await storage.clients.list()).map(exportClient),
    resource_servers: (await storage.resourceServers.list()).map(exportResourceServer),
    client_grants: (await storage.clientGrants.list()).map(exportClientGrant),
    connections: (await storage.connections.list()).map(exportConnection),
    users: (await storage.users.list()).map(exportUser),
    guardian: exportGuardian(await storage.guardian.get()),
  };
  const attackProtection = await storage.attackSettings.get();
  if (attackProtection !== null) file.attack_protection = attackProtection; // copied by the escape below
  return escapeEnvReferences(file);
}

/** A tenant file as YAML or JSON text (ending in a newline). */
export function serializeTenant(file: TenantFile, format: 'yaml' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(file, null, 2)}\n`;
  return stringify(file, { lineWidth: 0, aliasDuplicateObjects: false });
}

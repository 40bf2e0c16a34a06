/**
 * @module tenant/import-records
 *
 * Turns the clients, APIs, client grants and connections of a tenant file into storage
 * records, reading the existing records they replace: an existing API, client grant or
 * connection keeps its `id`, an existing client keeps its secret hash when the file gives no
 * secret. Reads only; no writes.
 */
import type { PasswordHasher } from '../accounts/password-hasher.js';
import { randomAlphanumeric, randomHex } from '../shared/crypto.js';
import type { Client, ClientGrant, Connection, ResourceServer } from '../storage/models.js';
import type { Storage } from '../storage/storage.js';
import { originsOf, refreshTokenPolicy } from './client-settings.js';
import { toClientCredential } from './credentials.js';
import {
  TENANT_DEFAULTS,
  type TenantFileClient,
  type TenantFileClientGrant,
  type TenantFileConnection,
  type TenantFileResourceServer,
} from './schema.js';
import { formatPath, type PathSegment, TenantFileError } from './tenant-file-error.js';

/** A record ready to write, and whether it replaces an existing one. */
export interface Prepared<T> {
  record: T;
  existed: boolean;
  path: PathSegment[];
}

/** The stored hash to keep, or the clear secret still to hash. */
type SecretPlan = { hash: string | null } | { secret: string };

function planSecret(client: TenantFileClient, index: number, existing: Client | null): SecretPlan {
  const method = client.token_endpoint_auth_method ?? TENANT_DEFAULTS.token_endpoint_auth_method;
  if (method === 'none' || method === 'private_key_jwt') return { hash: null };
  if (client.client_secret !== undefined) return { secret: client.client_secret };
  if (client.client_secret_hash !== undefined) return { hash: client.client_secret_hash };
  if (existing?.client_secret_hash) return { hash: existing.client_secret_hash };
  throw new TenantFileError(
    `client_secret or client_secret_hash is required for ${method}`,
    formatPath(['clients', index, 'client_secret']),
  );
}

function credentialsOf(
  client: TenantFileClient,
  index: number,
): Client['client_authentication_methods'] {
  const path = [
    'clients',
    index,
    'client_authentication_methods',
    'private_key_jwt',
    'credentials',
  ];
  const credentials = client.client_authentication_methods?.private_key_jwt.credentials ?? [];
  if (credentials.length === 0) return null;
  return {
    private_key_jwt: {
      credentials: credentials.map((credential, i) => toClientCredential(credential, [...path, i])),
    },
  };
}

/** The stored form of a file client, given its secret hash and credentials. */
function buildClient(
  client: TenantFileClient,
  secretHash: string | null,
  methods: Client['client_authentication_methods'],
): Client {
  return {
    client_id: client.client_id,
    name: client.name,
    app_type: client.app_type ?? TENANT_DEFAULTS.app_type,
    grant_types: [...(client.grant_types ?? [])],
    token_endpoint_auth_method:
      client.token_endpoint_auth_method ?? TENANT_DEFAULTS.token_endpoint_auth_method,
    client_secret_hash: secretHash,
    client_authentication_methods: methods,
    is_token_endpoint_ip_header_trusted: client.is_token_endpoint_ip_header_trusted ?? false,
    jwt_configuration: {
      lifetime_in_seconds:
        client.jwt_configuration?.lifetime_in_seconds ?? TENANT_DEFAULTS.id_token_lifetime,
      alg: 'RS256',
    },
    refresh_token: refreshTokenPolicy(client.refresh_token),
    allowed_origins: originsOf(client.allowed_origins),
    web_origins: originsOf(client.web_origins),
    require_proof_of_possession: client.require_proof_of_possession ?? false,
  };
}

/** Client records for the file's clients; secrets are hashed here. */
export async function prepareClients(
  storage: Storage,
  clients: readonly TenantFileClient[],
  hasher: PasswordHasher,
): Promise<Prepared<Client>[]> {
  const existing = await Promise.all(clients.map((c) => storage.clients.get(c.client_id)));
  // Check every client before hashing any secret, so a bad file fails fast.
  const plans = clients.map((client, index) => planSecret(client, index, existing[index] ?? null));
  const methods = clients.map((client, index) => credentialsOf(client, index));
  return Promise.all(
    clients.map(async (client, index) => {
      const plan = plans[index]!;
      const hash = 'secret' in plan ? await hasher.hash(plan.secret) : plan.hash;
      const record = buildClient(client, hash, methods[index] ?? null);
      return { record, existed: (existing[index] ?? null) !== null, path: ['clients', index] };
    }),
  );
}

/** The stored form of an API's `proof_of_possession` (Auth0's defaults filled in). */
function proofOfPossession(
  policy: TenantFileResourceServer['proof_of_possession'],
): ResourceServer['proof_of_possession'] {
  if (policy === undefined) return null;
  return {
    mechanism: policy.mechanism,
    required: policy.required ?? false,
    required_for: policy.required_for ?? 'all_clients',
  };
}

/** Resource-server records; an existing API keeps its id, a new one gets 24 hex digits. */
export async function prepareResourceServers(
  storage: Storage,
  apis: readonly TenantFileResourceServer[],
): Promise<Prepared<ResourceServer>[]> {
  return Promise.all(
    apis.map(async (api, index) => {
      const before = await storage.resourceServers.getByIdentifier(api.identifier);
      const record: ResourceServer = {
        id: before?.id ?? randomHex(24),
        identifier: api.identifier,
        name: api.name,
        scopes: (api.scopes ?? []).map((s) => ({
          value: s.value,
          description: s.description ?? '',
        })),
        token_lifetime: api.token_lifetime ?? TENANT_DEFAULTS.token_lifetime,
        allow_offline_access: api.allow_offline_access ?? false,
        signing_alg: api.signing_alg ?? TENANT_DEFAULTS.signing_alg,
        token_dialect: api.token_dialect ?? TENANT_DEFAULTS.token_dialect,
        proof_of_possession: proofOfPossession(api.proof_of_possession),
      };
      return { record, existed: before !== null, path: ['resource_servers', index] };
    }),
  );
}

/** The connection's MFA override, when the file gives one. */
function connectionMfa(connection: TenantFileConnection): Pick<Connection['options'], 'mfa'> {
  const mfa = connection.options?.mfa;
  if (!mfa) return {};
  return { mfa: { active: mfa.active ?? true, required: mfa.required ?? false } };
}

/** Connection records; an existing connection keeps its id, a new one gets `con_…`. */
export async function prepareConnections(
  storage: Storage,
  connections: readonly TenantFileConnection[],
): Promise<Prepared<Connection>[]> {
  return Promise.all(
    connections.map(async (connection, index) => {
      const before = await storage.connections.getByName(connection.name);
      const record: Connection = {
        id: before?.id ?? `con_${randomAlphanumeric(16)}`,
        name: connection.name,
        strategy: connection.strategy ?? TENANT_DEFAULTS.strategy,
        enabled_clients: [...(connection.enabled_clients ?? [])],
        options: {
          requires_username: connection.options?.requires_username ?? false,
          ...connectionMfa(connection),
        },
      };
      return { record, existed: before !== null, path: ['connections', index] };
    }),
  );
}

/** Client-grant records; an existing grant keeps its id, a new one gets `cgr_…`. */
export async function prepareClientGrants(
  storage: Storage,
  grants: readonly TenantFileClientGrant[],
): Promise<Prepared<ClientGrant>[]> {
  return Promise.all(
    grants.map(async (grant, index) => {
      const before = await storage.clientGrants.find(grant.client_id, grant.audience);
      const record: ClientGrant = {
        id: before?.id ?? `cgr_${randomAlphanumeric(16)}`,
        client_id: grant.client_id,
        audience: grant.audience,
        scope: [...grant.scope],
      };
      return { record, existed: before !== null, path: ['client_grants', index] };
    }),
  );
}

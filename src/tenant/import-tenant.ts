/**
 * @module tenant/import-tenant
 *
 * Imports a tenant file into storage: tenant settings (only the fields present), clients,
 * APIs, connections and users, each upserted. Everything is checked first — the file's rules
 * and its cross-references against the file and storage together — and secrets are hashed
 * before one transaction writes all records, so a bad file writes nothing.
 */
import type { PasswordHasher } from '../accounts/password-hasher.js';
import type { TenantSettings, User } from '../storage/models.js';
import { type Storage, UniqueViolation } from '../storage/storage.js';
import {
  type Prepared,
  prepareClients,
  prepareConnections,
  prepareResourceServers,
} from './import-records.js';
import { prepareUsers } from './import-users.js';
import { type TenantFile, TenantFileSchema, type TenantFileSettings } from './schema.js';
import { schemaError } from './schema-errors.js';
import { formatPath, type PathSegment, TenantFileError } from './tenant-file-error.js';
import { checkTenantRules } from './tenant-rules.js';

/** How many records of one kind an import created and replaced. */
export interface ImportCounts {
  created: number;
  updated: number;
}

/** What {@link importTenant} wrote. */
export interface ImportSummary {
  /** True when the file had tenant settings to apply. */
  tenant: { updated: boolean };
  clients: ImportCounts;
  resource_servers: ImportCounts;
  connections: ImportCounts;
  users: ImportCounts;
}

type Check = (name: string, path: PathSegment[]) => Promise<void>;

/** A memoised "is `name` defined in the file or in storage?" check. */
function referenceCheck(
  inFile: readonly string[],
  lookup: (name: string) => Promise<unknown>,
  what: string,
): Check {
  const known = new Set(inFile);
  const stored = new Map<string, Promise<boolean>>();
  return async (name, path) => {
    if (known.has(name)) return;
    let found = stored.get(name);
    if (!found) {
      found = lookup(name).then((record) => record !== null);
      stored.set(name, found);
    }
    if (!(await found)) {
      throw new TenantFileError(
        `${what} "${name}" is not in the file or in storage`,
        formatPath(path),
      );
    }
  };
}

async function checkReferences(storage: Storage, file: TenantFile): Promise<void> {
  const connection = referenceCheck(
    (file.connections ?? []).map((c) => c.name),
    (name) => storage.connections.getByName(name),
    'connection',
  );
  const api = referenceCheck(
    (file.resource_servers ?? []).map((r) => r.identifier),
    (identifier) => storage.resourceServers.getByIdentifier(identifier),
    'API',
  );
  const client = referenceCheck(
    (file.clients ?? []).map((c) => c.client_id),
    (clientId) => storage.clients.get(clientId),
    'client',
  );
  const { default_directory: directory, default_audience: audience } = file.tenant ?? {};
  if (typeof directory === 'string') await connection(directory, ['tenant', 'default_directory']);
  if (typeof audience === 'string') await api(audience, ['tenant', 'default_audience']);
  for (const [i, c] of (file.connections ?? []).entries()) {
    for (const [j, id] of (c.enabled_clients ?? []).entries()) {
      await client(id, ['connections', i, 'enabled_clients', j]);
    }
  }
  for (const [i, user] of (file.users ?? []).entries()) {
    await connection(user.connection, ['users', i, 'connection']);
  }
}

/** The settings fields the file gives; undefined when it gives none. */
function settingsPatch(
  tenant: TenantFileSettings | undefined,
): Partial<TenantSettings> | undefined {
  if (!tenant) return undefined;
  const patch: Partial<TenantSettings> = {};
  if (tenant.default_directory !== undefined) patch.default_directory = tenant.default_directory;
  if (tenant.default_audience !== undefined) patch.default_audience = tenant.default_audience;
  if (tenant.friendly_name !== undefined) patch.friendly_name = tenant.friendly_name;
  if (tenant.resource_parameter_profile !== undefined) {
    patch.resource_parameter_profile = tenant.resource_parameter_profile;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

function count(records: readonly Prepared<unknown>[]): ImportCounts {
  const updated = records.filter((r) => r.existed).length;
  return { created: records.length - updated, updated };
}

/** Upserts one user, reporting a uniqueness clash as a {@link TenantFileError}. */
async function writeUser(tx: Storage, user: Prepared<User>): Promise<void> {
  try {
    await tx.users.upsert(user.record);
  } catch (error) {
    if (!(error instanceof UniqueViolation)) throw error;
    const field = error.field === 'email' || error.field === 'username' ? [error.field] : [];
    throw new TenantFileError(
      `another user of connection "${user.record.connection}" already has this ${error.field}`,
      formatPath([...user.path, ...field]),
    );
  }
}

/**
 * Imports `file` into `storage`, hashing clear secrets and passwords with `hasher`; `now`
 * stamps users' `created_at`/`updated_at`. The file is checked again (schema and rules), so
 * it need not come from the loader; missing optional fields take their defaults. Throws
 * {@link TenantFileError} naming the field path of a broken rule or dangling reference;
 * nothing is written then.
 */
export async function importTenant(
  storage: Storage,
  file: TenantFile,
  hasher: PasswordHasher,
  now: () => Date = () => new Date(),
): Promise<ImportSummary> {
  const invalid = schemaError(TenantFileSchema, file);
  if (invalid) throw invalid;
  checkTenantRules(file);
  await checkReferences(storage, file);
  const clients = await prepareClients(storage, file.clients ?? [], hasher);
  const apis = await prepareResourceServers(storage, file.resource_servers ?? []);
  const connections = await prepareConnections(storage, file.connections ?? []);
  const users = await prepareUsers(storage, file.users ?? [], hasher, now().toISOString());
  const patch = settingsPatch(file.tenant);
  await storage.transaction(async (tx) => {
    if (patch) await tx.tenant.put({ ...(await tx.tenant.get()), ...patch });
    for (const { record } of clients) await tx.clients.upsert(record);
    for (const { record } of apis) await tx.resourceServers.upsert(record);
    for (const { record } of connections) await tx.connections.upsert(record);
    for (const user of users) await writeUser(tx, user);
  });
  return {
    tenant: { updated: patch !== undefined },
    clients: count(clients),
    resource_servers: count(apis),
    connections: count(connections),
    users: count(users),
  };
}

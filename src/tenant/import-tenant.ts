/**
 * @module tenant/import-tenant
 *
 * Imports a tenant file into storage: tenant settings (only the fields present), clients,
 * APIs, client grants, connections and users, each upserted. Everything is checked first — the file's rules
 * and its cross-references against the file and storage together — and secrets are hashed
 * before one transaction writes all records, so a bad file writes nothing.
 */
import type { PasswordHasher } from '../accounts/password-hasher.js';
import {
  applyAttackProtection,
  checkAttackProtection,
} from '../attack-protection/tenant-settings.js';
import type { TenantSettings, User } from '../storage/models.js';
import { type Storage, UniqueViolation } from '../storage/storage.js';
import { guardianSettings } from './guardian.js';
import {
  type Prepared,
  prepareClientGrants,
  prepareClients,
  prepareConnections,
  prepareResourceServers,
} from './import-records.js';
import { checkReferences } from './import-references.js';
import { prepareUsers } from './import-users.js';
import { type TenantFile, TenantFileSchema, type TenantFileSettings } from './schema.js';
import { schemaError } from './schema-errors.js';
import { formatPath, TenantFileError } from './tenant-file-error.js';
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
  client_grants: ImportCounts;
  connections: ImportCounts;
  users: ImportCounts;
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
  checkAttackProtection(file.attack_protection);
  await checkReferences(storage, file);
  const clients = await prepareClients(storage, file.clients ?? [], hasher);
  const apis = await prepareResourceServers(storage, file.resource_servers ?? []);
  const grants = await prepareClientGrants(storage, file.client_grants ?? []);
  const connections = await prepareConnections(storage, file.connections ?? []);
  const users = await prepareUsers(storage, file.users ?? [], hasher, now().toISOString());
  const patch = settingsPatch(file.tenant);
  await storage.transaction(async (tx) => {
    if (patch) await tx.tenant.put({ ...(await tx.tenant.get()), ...patch });
    for (const { record } of clients) await tx.clients.upsert(record);
    for (const { record } of apis) await tx.resourceServers.upsert(record);
    for (const { record } of grants) await tx.clientGrants.upsert(record);
    for (const { record } of connections) await tx.connections.upsert(record);
    for (const user of users) await writeUser(tx, user);
    await applyAttackProtection(tx, file.attack_protection);
    if (file.guardian) await tx.guardian.put(guardianSettings(file.guardian));
  });
  return {
    tenant: { updated: patch !== undefined },
    clients: count(clients),
    resource_servers: count(apis),
    client_grants: count(grants),
    connections: count(connections),
    users: count(users),
  };
}

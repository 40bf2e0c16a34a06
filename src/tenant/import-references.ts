/**
 * @module tenant/import-references
 *
 * Cross-references of a tenant file, resolved against the file and storage together: the
 * tenant's default directory and audience, connections' enabled clients, users' connections,
 * and client grants' clients, APIs and scopes. Reads only; no writes.
 */
import type { Storage } from '../storage/storage.js';
import type { TenantFile } from './schema.js';
import { formatPath, type PathSegment, TenantFileError } from './tenant-file-error.js';

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

/** The scopes of the API `identifier`: the file's definition wins over the stored one. */
async function scopesOf(storage: Storage, file: TenantFile, identifier: string): Promise<string[]> {
  const inFile = (file.resource_servers ?? []).find((api) => api.identifier === identifier);
  if (inFile) return (inFile.scopes ?? []).map((scope) => scope.value);
  const stored = await storage.resourceServers.getByIdentifier(identifier);
  return (stored?.scopes ?? []).map((scope) => scope.value);
}

async function checkClientGrants(
  storage: Storage,
  file: TenantFile,
  client: Check,
  api: Check,
): Promise<void> {
  for (const [i, grant] of (file.client_grants ?? []).entries()) {
    await client(grant.client_id, ['client_grants', i, 'client_id']);
    await api(grant.audience, ['client_grants', i, 'audience']);
    const defined = new Set(await scopesOf(storage, file, grant.audience));
    for (const [j, scope] of grant.scope.entries()) {
      if (!defined.has(scope)) {
        throw new TenantFileError(
          `scope "${scope}" is not a scope of API "${grant.audience}"`,
          formatPath(['client_grants', i, 'scope', j]),
        );
      }
    }
  }
}

/**
 * Checks every reference of `file`; throws {@link TenantFileError} naming the field path of
 * the first one that is neither in the file nor in storage.
 */
export async function checkReferences(storage: Storage, file: TenantFile): Promise<void> {
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
  await checkClientGrants(storage, file, client, api);
  for (const [i, user] of (file.users ?? []).entries()) {
    await connection(user.connection, ['users', i, 'connection']);
  }
}

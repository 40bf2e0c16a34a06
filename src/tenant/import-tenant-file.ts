/**
 * @module tenant/import-tenant-file
 *
 * Loads a tenant file and upserts it, with every error naming the file (one line).
 */
import type { PasswordHasher } from '../accounts/password-hasher.js';
import type { Storage } from '../storage/storage.js';
import { redactEnvValues } from './env-substitution.js';
import { type ImportSummary, importTenant } from './import-tenant.js';
import { envValuesOf, loadTenantFile } from './load-tenant-file.js';
import { TenantFileError } from './tenant-file-error.js';

export async function importTenantFile(
  storage: Storage,
  path: string,
  hasher: PasswordHasher,
): Promise<ImportSummary> {
  const file = await loadTenantFile(path);
  try {
    return await importTenant(storage, file, hasher);
  } catch (err) {
    if (!(err instanceof TenantFileError)) throw err;
    const redacted = redactEnvValues(err, envValuesOf(file));
    throw redacted.source === undefined ? redacted.withSource(path) : redacted;
  }
}

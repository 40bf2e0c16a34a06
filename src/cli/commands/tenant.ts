/**
 * @module cli/commands/tenant
 *
 * `latchkey tenant import FILE` and `latchkey tenant export` against a data directory, with the
 * server stopped or running.
 */
import { open } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { Argon2PasswordHasher } from '../../accounts/password-hasher.js';
import { ConfigError } from '../../config/server-config.js';
import { exportTenant, serializeTenant } from '../../tenant/export-tenant.js';
import { importTenantFile } from '../../tenant/import-tenant-file.js';
import { dataOption, nonEmpty, withStorage } from './shared.js';

/**
 * Writes the export readable by its owner only (it holds password and secret hashes), also over
 * an existing file, whose mode `writeFile` would keep. The mode is set before any text is in.
 */
async function writePrivateFile(path: string, text: string): Promise<void> {
  try {
    const file = await open(path, 'w', 0o600);
    try {
      if ((await file.stat()).isFile()) await file.chmod(0o600);
      await file.writeFile(text);
    } finally {
      await file.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw code ? new ConfigError(`--output ${path}: cannot write (${code})`) : err;
  }
}

export function registerTenant(program: Command): void {
  const tenant = program
    .command('tenant')
    .description('import or export the tenant (clients, APIs, connections, users)');
  tenant
    .command('import')
    .description('upsert a tenant file (YAML or JSON) into the data directory')
    .argument('<file>', 'tenant file')
    .addOption(dataOption())
    .action(async (file: string, flags: { data: string }) => {
      const summary = await withStorage(
        flags.data,
        (storage) => importTenantFile(storage, file, new Argon2PasswordHasher()),
        { create: true },
      );
      process.stdout.write(`imported ${file}: ${JSON.stringify(summary)}\n`);
    });
  tenant
    .command('export')
    .description('print the tenant as a file that `tenant import` accepts (secrets as hashes)')
    .addOption(dataOption())
    .addOption(
      new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'),
    )
    .addOption(
      new Option('--output <file>', 'write to a file instead of stdout').argParser(nonEmpty),
    )
    .action(async (flags: { data: string; format: 'yaml' | 'json'; output?: string }) => {
      const text = serializeTenant(await withStorage(flags.data, exportTenant), flags.format);
      if (flags.output) await writePrivateFile(flags.output, text);
      else process.stdout.write(text);
    });
}

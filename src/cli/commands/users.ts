/**
 * @module cli/commands/users
 *
 * `latchkey users import FILE --connection NAME`: imports an Auth0 bulk-import users file into
 * a database connection of the data directory, all or nothing. Problems go to stderr: a
 * one-line summary, then one line per problem (the first 20).
 */
import { performance } from 'node:perf_hooks';
import { type Command, Option } from 'commander';
import { adminUnblock, UnblockError } from '../../attack-protection/admin-unblock.js';
import { importUsersFile } from '../../users-import/import-users.js';
import { UsersImportError } from '../../users-import/problems.js';
import { dataOption, withStorage } from './shared.js';
import { registerUsersMfa } from './users-mfa.js';

interface ImportFlags {
  connection: string;
  data: string;
}

async function runImport(file: string, flags: ImportFlags): Promise<void> {
  const started = performance.now();
  try {
    const { created, updated } = await withStorage(flags.data, (storage) =>
      importUsersFile(storage, file, { connection: flags.connection }),
    );
    const seconds = (performance.now() - started) / 1000;
    const total = created + updated;
    const rate = seconds > 0 ? Math.round(total / seconds) : total;
    process.stdout.write(
      `imported ${file} into ${flags.connection}: ${created} created, ${updated} updated ` +
        `in ${seconds.toFixed(2)} s (${rate} users/s)\n`,
    );
  } catch (error) {
    if (!(error instanceof UsersImportError)) throw error;
    process.stderr.write(`latchkey: ${[error.message, ...error.lines].join('\n')}\n`);
    process.exitCode = 1;
  }
}

async function runUnblock(user: string, flags: { ip?: string; data: string }): Promise<void> {
  try {
    const result = await withStorage(flags.data, (storage) =>
      adminUnblock(storage, user, flags.ip),
    );
    const where = flags.ip ? ` from ${flags.ip}` : '';
    process.stdout.write(
      `unblocked ${result.user.user_id}${where}: ${result.cleared} block(s) removed\n`,
    );
  } catch (error) {
    if (!(error instanceof UnblockError)) throw error;
    process.stderr.write(`latchkey: ${error.message}\n`);
    process.exitCode = 1;
  }
}

export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .description('import users into a connection, unblock them, manage their MFA');
  users
    .command('import')
    .description(
      'upsert the users of an Auth0 bulk-import JSON file into a connection (all or nothing)',
    )
    .argument('<file>', 'users file: a JSON array of users, as for Auth0 bulk user import')
    .addOption(
      new Option(
        '--connection <name>',
        'database connection the users belong to',
      ).makeOptionMandatory(),
    )
    .addOption(dataOption())
    .action(runImport);
  users
    .command('unblock')
    .description('remove the brute-force blocks of a user (not an admin block)')
    .argument('<user>', 'user_id, or an email/username that names one user')
    .option('--ip <ip>', 'only the block of this end-user IP')
    .addOption(dataOption())
    .action(runUnblock);
  registerUsersMfa(users);
}

/**
 * @module cli/commands/users-mfa
 *
 * `latchkey users mfa list USER` prints the user's authenticators (one per line, no secrets);
 * `latchkey users mfa reset USER` removes them all and refills the user's attempt budget, so
 * the next login enrols afresh. USER is a `user_id`, or an email / username with
 * `--connection`.
 */
import { type Command, Option } from 'commander';
import { resetAttempts } from '../../mfa/attempts.js';
import type { User } from '../../storage/models.js';
import type { Storage } from '../../storage/storage.js';
import { dataOption, withStorage } from './shared.js';

interface MfaFlags {
  data: string;
  connection?: string;
}

async function findUser(storage: Storage, who: string, connection?: string): Promise<User> {
  const user =
    connection !== undefined
      ? await storage.users.findByLogin(connection, who)
      : await storage.users.get(who);
  if (!user) {
    const where = connection !== undefined ? ` in connection ${connection}` : '';
    throw new Error(`no user ${JSON.stringify(who)}${where}`);
  }
  return user;
}

async function list(who: string, flags: MfaFlags): Promise<void> {
  await withStorage(flags.data, async (storage) => {
    const user = await findUser(storage, who, flags.connection);
    const authenticators = await storage.authenticators.listByUser(user.user_id);
    if (authenticators.length === 0) process.stdout.write(`${user.user_id}: no authenticators\n`);
    for (const a of authenticators) {
      const state = a.active ? 'active' : 'pending';
      const to = a.email !== null ? ` ${a.email}` : '';
      process.stdout.write(`${a.id}\t${a.type}\t${state}\t${a.created_at}${to}\n`);
    }
  });
}

async function reset(who: string, flags: MfaFlags): Promise<void> {
  await withStorage(flags.data, async (storage) => {
    const user = await findUser(storage, who, flags.connection);
    const removed = await storage.authenticators.deleteByUser(user.user_id);
    await resetAttempts({ storage }, user.user_id);
    process.stdout.write(`${user.user_id}: removed ${removed} authenticator(s)\n`);
  });
}

function connectionOption(): Option {
  return new Option('--connection <name>', 'find USER by email or username in this connection');
}

export function registerUsersMfa(users: Command): void {
  const mfa = users.command('mfa').description("list or reset users' MFA authenticators");
  mfa
    .command('list')
    .description('list the authenticators of a user')
    .argument('<user>', 'user_id (or email/username with --connection)')
    .addOption(connectionOption())
    .addOption(dataOption())
    .action(list);
  mfa
    .command('reset')
    .description('remove every authenticator of a user (the next login enrols again)')
    .argument('<user>', 'user_id (or email/username with --connection)')
    .addOption(connectionOption())
    .addOption(dataOption())
    .action(reset);
}

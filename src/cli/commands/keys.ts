/**
 * @module cli/commands/keys
 *
 * `latchkey keys list` and `latchkey keys rotate`. A running server picks up a rotation within
 * its key poll interval (10 s).
 */
import type { Command } from 'commander';
import { ensureSigningKeys, keyWithStatus, rotateSigningKeys } from '../../keys/key-rotation.js';
import { dataOption, withStorage } from './shared.js';

const ORDER = ['next', 'current', 'previous', 'retired'];

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage token signing keys');
  keys
    .command('list')
    .description('list signing keys and their status')
    .addOption(dataOption())
    .action(async (flags: { data: string }) => {
      await withStorage(flags.data, async (storage) => {
        await ensureSigningKeys(storage, new Date());
        const all = await storage.signingKeys.list();
        all.sort(
          (a, b) =>
            ORDER.indexOf(a.status) - ORDER.indexOf(b.status) ||
            b.created_at.localeCompare(a.created_at),
        );
        for (const key of all) {
          process.stdout.write(
            `${key.kid}  ${key.alg}  ${key.status.padEnd(8)}  created ${key.created_at}\n`,
          );
        }
      });
    });
  keys
    .command('rotate')
    .description('next key becomes current; current stays published as previous')
    .addOption(dataOption())
    .action(async (flags: { data: string }) => {
      await withStorage(flags.data, async (storage) => {
        const result = await rotateSigningKeys(storage, new Date());
        const current = keyWithStatus(await storage.signingKeys.list(), 'current');
        process.stdout.write(
          `rotated: current ${current?.kid ?? result.current}, previous ${result.previous}, next ${result.next}\n`,
        );
      });
    });
}

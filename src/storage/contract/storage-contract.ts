/**
 * @module storage/contract/storage-contract
 *
 * The storage contract suite. Every engine runs it from its own test file:
 *
 * ```ts
 * describeStorageContract('sqlite (memory)', () => openSqliteStorage({ path: ':memory:' }));
 * ```
 *
 * It knows nothing about any engine; it calls only the {@link Storage} interface.
 */
import { describe } from 'node:test';
import type { Storage } from '../storage.js';
import { describeAttackProtectionContract } from './attack-protection.contract.js';
import { describeClientGrantsContract } from './client-grants.contract.js';
import { describeDirectoryContract } from './directory.contract.js';
import { describeDpopContract } from './dpop.contract.js';
import { describeExpiringContract } from './expiring.contract.js';
import { describeLoginGatesContract } from './login-gates.contract.js';
import { describeMfaContract } from './mfa.contract.js';
import { describeOutboxContract } from './outbox.contract.js';
import { describeRefreshTokensContract } from './refresh-tokens.contract.js';
import { describeSecretsContract } from './secrets.contract.js';
import { describeSigningKeysContract } from './signing-keys.contract.js';
import { describeTransactionsContract } from './transactions.contract.js';
import { describeUsersContract } from './users.contract.js';

export type { OpenStorage } from './harness.js';

/**
 * Registers the contract tests for one engine under `describe('storage contract: <engine>')`.
 *
 * `open` is called once per test and must resolve to a storage holding no data (a new
 * database, or one whose tables were just emptied); the suite closes it after the test.
 */
export function describeStorageContract(engine: string, open: () => Promise<Storage>): void {
  describe(`storage contract: ${engine}`, () => {
    describeDirectoryContract(open);
    describeClientGrantsContract(open);
    describeUsersContract(open);
    describeSigningKeysContract(open);
    describeExpiringContract(open);
    describeRefreshTokensContract(open);
    describeSecretsContract(open);
    describeDpopContract(open);
    describeTransactionsContract(open);
    describeLoginGatesContract(open);
    describeAttackProtectionContract(open);
    describeMfaContract(open);
    describeOutboxContract(open);
  });
}

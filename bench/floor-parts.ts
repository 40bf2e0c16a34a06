/**
 * @module bench/floor-parts
 *
 * What both floor servers (bench/floor-server.ts, bench/bare-floor-server.ts) are made of besides
 * their HTTP stack: their command line (`PORT [HASH_CONCURRENCY]`), the server's hasher from the
 * build (same pool) holding the bench users' hashes, and an RS256 key for the server's signer.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type * as Hashing from '../src/accounts/password-hasher.js';
import type { Argon2PasswordHasher } from '../src/accounts/password-hasher.js';
import type * as Signing from '../src/tokens/jwt-signer.js';
import { built } from './built.js';
import { BENCH_USERS } from './tenant.js';

export interface FloorParts {
  port: number;
  hasher: Argon2PasswordHasher;
  /** Each bench user's argon2id hash, by email. */
  hashes: ReadonlyMap<string, string>;
  privateKey: KeyObject;
  signJwt: typeof Signing.signJwt;
}

export async function floorParts(argv: readonly string[]): Promise<FloorParts> {
  const { Argon2PasswordHasher: Hasher } = await built<typeof Hashing>(
    'accounts/password-hasher.js',
  );
  const { signJwt } = await built<typeof Signing>('tokens/jwt-signer.js');
  const [port = 0, concurrency] = argv.map(Number);
  const hasher = new Hasher(concurrency ? { concurrency } : {});
  const hashes = new Map<string, string>();
  for (const user of BENCH_USERS) hashes.set(user.email, await hasher.hash(user.password));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { port, hasher, hashes, privateKey, signJwt };
}

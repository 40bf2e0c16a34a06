/**
 * @module tenant/tenant-rules
 *
 * The rules of a tenant file that a schema cannot express and that need no storage: secrets
 * versus authentication method, credential keys, refresh-token policy, origins, password
 * hashes, one of email/username, and no duplicate records. Cross-references are checked by the
 * importer, against storage too.
 */

import { hashCostProblem } from '../accounts/hash-cost.js';
import { hashFamily, MAX_PASSWORD_BYTES } from '../accounts/password-hasher.js';
import { userIdProblem } from '../accounts/user-id.js';
import { usernameProblem } from '../accounts/username.js';
import { checkOrigins, checkRefreshToken } from './client-settings.js';
import { toClientCredential } from './credentials.js';
import { checkGrantTypes } from './grant-types.js';
import type {
  TenantFile,
  TenantFileClient,
  TenantFileClientGrant,
  TenantFileUser,
} from './schema.js';
import { formatPath, type PathSegment, TenantFileError } from './tenant-file-error.js';

/** An argon2id hash in PHC string format. */
export const ARGON2ID_PHC = /^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

/**
 * An argon2 password hash in PHC string format, any variant (argon2id, argon2i, argon2d), as
 * an Auth0 export or a users import may hold; all verify, and are rehashed to argon2id.
 */
export const ARGON2_PHC =
  /^\$argon2(?:id|i|d)\$v=(?:16|19)\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** RFC 6749 §3.3 `scope-token`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function fail(path: PathSegment[], problem: string): never {
  throw new TenantFileError(problem, formatPath(path));
}

/** Throws when two items share a key (compared as given by `keyOf`). */
function checkUnique<T>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
  path: (index: number) => PathSegment[],
  label: string,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const first = seen.get(key);
    if (first !== undefined)
      fail(path(index), `duplicate ${label} (same as ${formatPath(path(first))})`);
    seen.set(key, index);
  });
}

function checkClient(client: TenantFileClient, index: number): void {
  const at = (...rest: PathSegment[]) => ['clients', index, ...rest];
  const method = client.token_endpoint_auth_method ?? 'client_secret_post';
  if (client.client_secret !== undefined && client.client_secret_hash !== undefined) {
    fail(at('client_secret_hash'), 'give either client_secret or client_secret_hash, not both');
  }
  if (method === 'none' || method === 'private_key_jwt') {
    for (const field of ['client_secret', 'client_secret_hash'] as const) {
      if (client[field] !== undefined) {
        fail(at(field), `not allowed when token_endpoint_auth_method is ${method}`);
      }
    }
  }
  const secretHash = client.client_secret_hash;
  if (secretHash !== undefined && !ARGON2ID_PHC.test(secretHash)) {
    fail(at('client_secret_hash'), 'must be an argon2id PHC string ($argon2id$v=19$...)');
  }
  const costly = secretHash === undefined ? undefined : hashCostProblem(secretHash);
  if (costly !== undefined) fail(at('client_secret_hash'), costly);
  const credentialsPath = at('client_authentication_methods', 'private_key_jwt', 'credentials');
  const credentials = client.client_authentication_methods?.private_key_jwt.credentials ?? [];
  if (method === 'private_key_jwt' && credentials.length === 0) {
    fail(credentialsPath, 'at least one credential is required for private_key_jwt');
  }
  const ids = credentials.map(
    (credential, i) => toClientCredential(credential, [...credentialsPath, i]).id,
  );
  checkUnique(
    ids,
    (id) => id,
    (i) => [...credentialsPath, i],
    'credential id',
  );
  checkGrantTypes(client, index);
  checkUnique(
    client.grant_types ?? [],
    (grantType) => grantType,
    (i) => at('grant_types', i),
    'grant type',
  );
  checkRefreshToken(client, index);
  checkOrigins(client, index);
}

function checkClientGrants(grants: readonly TenantFileClientGrant[]): void {
  checkUnique(
    grants,
    (grant) => JSON.stringify([grant.client_id, grant.audience]),
    (i) => ['client_grants', i],
    'grant for the same client_id and audience',
  );
  grants.forEach((grant, i) => {
    const scopePath = (j: number) => ['client_grants', i, 'scope', j];
    checkUnique(grant.scope, (scope) => scope, scopePath, 'scope');
  });
}

function checkUser(user: TenantFileUser, index: number): void {
  const at = (...rest: PathSegment[]) => ['users', index, ...rest];
  if (user.email === undefined && user.username === undefined) {
    fail(at(), 'email or username is required');
  }
  if (user.email !== undefined && !EMAIL.test(user.email))
    fail(at('email'), 'must be an email address');
  const usernameIssue = user.username === undefined ? undefined : usernameProblem(user.username);
  if (usernameIssue !== undefined) fail(at('username'), usernameIssue);
  const userIdIssue = user.user_id === undefined ? undefined : userIdProblem(user.user_id);
  if (userIdIssue !== undefined) fail(at('user_id'), userIdIssue);
  if (user.password !== undefined && user.password_hash !== undefined) {
    fail(at('password_hash'), 'give either password or password_hash, not both');
  }
  if (
    user.password !== undefined &&
    Buffer.byteLength(user.password, 'utf8') > MAX_PASSWORD_BYTES
  ) {
    fail(at('password'), `must be at most ${MAX_PASSWORD_BYTES} bytes`);
  }
  const hash = user.password_hash;
  if (hash !== undefined && hashFamily(hash) !== 'bcrypt' && !ARGON2_PHC.test(hash)) {
    fail(at('password_hash'), 'must be a bcrypt ($2a$, $2b$, $2y$, cost 04–31) or argon2 PHC hash');
  }
  const costly = hash === undefined ? undefined : hashCostProblem(hash);
  if (costly !== undefined) fail(at('password_hash'), costly);
}

function checkUsers(users: readonly TenantFileUser[]): void {
  users.forEach(checkUser);
  const path = (field: string) => (i: number) => ['users', i, field];
  checkUnique(users, (u) => u.user_id, path('user_id'), 'user_id');
  checkUnique(
    users,
    (u) => (u.email === undefined ? undefined : `${u.connection}\n${u.email.toLowerCase()}`),
    path('email'),
    'email in the connection',
  );
  checkUnique(
    users,
    (u) => (u.username === undefined ? undefined : `${u.connection}\n${u.username.toLowerCase()}`),
    path('username'),
    'username in the connection',
  );
}

/**
 * Checks the storage-independent rules of a schema-valid tenant file. Throws
 * {@link TenantFileError} naming the field path of the first broken rule.
 */
export function checkTenantRules(file: TenantFile): void {
  const clients = file.clients ?? [];
  clients.forEach(checkClient);
  checkUnique(
    clients,
    (c) => c.client_id,
    (i) => ['clients', i, 'client_id'],
    'client_id',
  );
  const apis = file.resource_servers ?? [];
  const apiPath = (i: number) => ['resource_servers', i, 'identifier'];
  checkUnique(apis, (api) => api.identifier, apiPath, 'identifier');
  apis.forEach((api, i) => {
    const scopePath = (j: number) => ['resource_servers', i, 'scopes', j, 'value'];
    checkUnique(api.scopes ?? [], (scope) => scope.value, scopePath, 'scope');
    (api.scopes ?? []).forEach((scope, j) => {
      // a space would split it in two in every `scope` parameter
      if (!SCOPE_TOKEN.test(scope.value))
        fail(scopePath(j), 'must be printable ASCII without spaces, " or \\ (RFC 6749 §3.3)');
    });
  });
  const connections = file.connections ?? [];
  checkUnique(
    connections,
    (c) => c.name,
    (i) => ['connections', i, 'name'],
    'connection name',
  );
  connections.forEach((connection, i) => {
    const clientPath = (j: number) => ['connections', i, 'enabled_clients', j];
    checkUnique(connection.enabled_clients ?? [], (id) => id, clientPath, 'client');
  });
  checkClientGrants(file.client_grants ?? []);
  checkUsers(file.users ?? []);
}

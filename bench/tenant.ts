/**
 * @module bench/tenant
 *
 * The benchmark tenant: one `client_secret_post` client allowed the password grant, one API and
 * a few users with known passwords in the default directory, written as a JSON tenant file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BENCH_DB = 'Username-Password-Authentication';
export const BENCH_API = 'https://bench.latchkey.test/api';
export const BENCH_CLIENT = { id: 'bench-backend', secret: 'bench-backend-secret-0123456789' };
export const BENCH_USERS = [1, 2, 3, 4].map((n) => ({
  email: `user${n}@bench.latchkey.test`,
  password: `bench-password-${n}-correct-horse`,
}));

/** Scopes of the two grant scenarios. */
export const SCOPES = {
  accessOnly: 'read:data write:data',
  openid: 'openid profile email read:data',
};

export function benchTenant(): Record<string, unknown> {
  return {
    tenant: { friendly_name: 'Latchkey bench', default_directory: BENCH_DB },
    resource_servers: [
      {
        identifier: BENCH_API,
        name: 'Bench API',
        scopes: [{ value: 'read:data' }, { value: 'write:data' }],
        token_lifetime: 3600,
        proof_of_possession: { mechanism: 'dpop', required: false },
      },
    ],
    clients: [
      {
        client_id: BENCH_CLIENT.id,
        name: 'Bench backend',
        app_type: 'regular_web',
        client_secret: BENCH_CLIENT.secret,
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['password'],
      },
    ],
    connections: [{ name: BENCH_DB, strategy: 'auth0', enabled_clients: [BENCH_CLIENT.id] }],
    users: BENCH_USERS.map((u, i) => ({
      connection: BENCH_DB,
      email: u.email,
      password: u.password,
      email_verified: true,
      name: `Bench User ${i + 1}`,
    })),
  };
}

/** Writes the tenant file into `dir` and returns its path. */
export function writeBenchTenant(dir: string): string {
  const path = join(dir, 'bench-tenant.json');
  writeFileSync(path, JSON.stringify(benchTenant(), null, 2));
  return path;
}

/** The form body of a password-grant request. */
export function tokenForm(username: string, password: string, scope: string): string {
  return new URLSearchParams({
    grant_type: 'password',
    client_id: BENCH_CLIENT.id,
    client_secret: BENCH_CLIENT.secret,
    username,
    password,
    audience: BENCH_API,
    scope,
  }).toString();
}

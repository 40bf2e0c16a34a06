/**
 * @module bench/tenant
 *
 * The benchmark tenant: one `client_secret_post` client allowed the password, refresh-token
 * (non-rotating, so one token can be replayed by the load generator) and client-credentials
 * grants, one API that allows offline access, and a few users with known passwords in the
 * default directory, written as a JSON tenant file.
 *
 * Attack protection stays on but is opened up for the load generator, which is one IP
 * (127.0.0.1) sending hundreds of logins per second for 4 users, and whose timing-parity check
 * sends 210 consecutive wrong passwords for one account: {@link BENCH_ATTACK_PROTECTION}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const BENCH_DB = 'Username-Password-Authentication';
export const BENCH_API = 'https://bench.latchkey.test/api';
export const BENCH_CLIENT = { id: 'bench-backend', secret: 'bench-backend-secret-0123456789' };
export const BENCH_USERS = [1, 2, 3, 4].map((n) => ({
  email: `user${n}@bench.latchkey.test`,
  password: `bench-password-${n}-correct-horse`,
}));

/** Scopes of the grant scenarios. */
export const SCOPES = {
  accessOnly: 'read:data write:data',
  openid: 'openid profile email read:data',
  offline: 'read:data offline_access',
};

/**
 * Raised where the tenant schema allows (the check still runs its SQLite statement on every
 * login, as in production); brute-force allowlisted for 127.0.0.1 and the account slowdown off,
 * because their maxima (100) are below the parity check's consecutive failures.
 */
export const BENCH_ATTACK_PROTECTION = {
  suspicious_ip_throttling: {
    enabled: true,
    stage: { 'pre-login': { max_attempts: 1_000_000, rate: 1 } },
  },
  same_user_ip_limit: { enabled: true, max_attempts: 10_000, rate: 1 },
  brute_force_protection: { enabled: true, allowlist: ['127.0.0.1'] },
  account_throttling: { enabled: false },
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
        allow_offline_access: true,
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
        grant_types: ['password', 'refresh_token', 'client_credentials'],
        refresh_token: { rotation_type: 'non-rotating', expiration_type: 'non-expiring' },
      },
    ],
    client_grants: [{ client_id: BENCH_CLIENT.id, audience: BENCH_API, scope: ['read:data'] }],
    connections: [{ name: BENCH_DB, strategy: 'auth0', enabled_clients: [BENCH_CLIENT.id] }],
    users: BENCH_USERS.map((u, i) => ({
      connection: BENCH_DB,
      email: u.email,
      password: u.password,
      email_verified: true,
      name: `Bench User ${i + 1}`,
    })),
    attack_protection: BENCH_ATTACK_PROTECTION,
  };
}

/** Writes the tenant file into `dir` and returns its path. */
export function writeBenchTenant(dir: string, tenant = benchTenant()): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'bench-tenant.json');
  writeFileSync(path, JSON.stringify(tenant, null, 2));
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

/** The form body of a refresh-token request. */
export function refreshForm(refreshToken: string): string {
  return new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: BENCH_CLIENT.id,
    client_secret: BENCH_CLIENT.secret,
    refresh_token: refreshToken,
  }).toString();
}

/** The form body of a client-credentials request. */
export function clientCredentialsForm(): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: BENCH_CLIENT.id,
    client_secret: BENCH_CLIENT.secret,
    audience: BENCH_API,
  }).toString();
}

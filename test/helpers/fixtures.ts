/**
 * The tenant most tests run against, built as an object in the tenant-file shape.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

export const API = 'https://api.example.com';
export const API_9068 = 'https://rfc9068.example.com';
export const DB = 'Username-Password-Authentication';
export const EMPLOYEES = 'employees';
export const PASSWORD_REALM = 'http://auth0.com/oauth/grant-type/password-realm';
export const ALICE = {
  email: 'alice@example.com',
  username: 'alice',
  password: 'correct horse battery staple',
};
export const BOB = { email: 'bob@example.com', password: 'bob-password-123' };
export const CAROL = { email: 'carol@example.com', password: 'carol-password-123' };
export const ALICE_ID = 'auth0|0123456789abcdef01234567';
/** bcrypt (cost 10) of "legacy-password-1", as an Auth0 export holds it. */
export const DAVE = {
  email: 'dave@example.com',
  password: 'legacy-password-1',
  hash: '$2b$10$MJwe4.NchR7zZtTR6xTOJuPvN3MuSwE.GUxiiInwtIkRhJ7BMTaA6',
};

export const SECRET = 'backend-secret-value';

export interface Fixture {
  tenant: Record<string, unknown>;
  jwtClientKey: KeyObject;
}

const PASSWORD_GRANTS = ['password', PASSWORD_REALM, 'refresh_token'];

export function baseTenant(): Fixture {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const tenant = {
    tenant: { friendly_name: 'Test', default_directory: DB },
    clients: [
      {
        client_id: 'backend',
        name: 'Backend',
        client_secret: SECRET,
        grant_types: PASSWORD_GRANTS,
      },
      {
        client_id: 'basic-client',
        name: 'Basic',
        client_secret: 'basic-secret',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: PASSWORD_GRANTS,
      },
      {
        client_id: 'cli',
        name: 'CLI',
        app_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: PASSWORD_GRANTS,
      },
      { client_id: 'no-grants', name: 'No grants', client_secret: 'no-grants-secret' },
      {
        client_id: 'jwt-client',
        name: 'JWT',
        app_type: 'non_interactive',
        token_endpoint_auth_method: 'private_key_jwt',
        grant_types: PASSWORD_GRANTS,
        client_authentication_methods: {
          private_key_jwt: {
            credentials: [
              {
                name: 'k1',
                pem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
                alg: 'RS256',
              },
            ],
          },
        },
      },
    ],
    resource_servers: [
      {
        identifier: API,
        name: 'Example API',
        scopes: [{ value: 'read:messages' }, { value: 'write:messages' }],
        token_lifetime: 3600,
        allow_offline_access: true,
      },
      {
        identifier: API_9068,
        name: 'RFC 9068 API',
        token_dialect: 'rfc9068_profile',
        scopes: [{ value: 'read' }],
      },
    ],
    connections: [
      { name: DB, enabled_clients: ['backend', 'basic-client', 'cli', 'no-grants', 'jwt-client'] },
      { name: EMPLOYEES, enabled_clients: ['backend'] },
    ],
    users: [
      {
        connection: DB,
        user_id: ALICE_ID,
        email: ALICE.email,
        username: ALICE.username,
        password: ALICE.password,
        email_verified: true,
        name: 'Alice Example',
        given_name: 'Alice',
        family_name: 'Example',
      },
      { connection: DB, email: BOB.email, password: BOB.password, blocked: true },
      { connection: EMPLOYEES, email: CAROL.email, password: CAROL.password },
      { connection: DB, email: DAVE.email, password_hash: DAVE.hash },
    ],
  };
  return { tenant, jwtClientKey: privateKey };
}

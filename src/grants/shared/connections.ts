/**
 * @module grants/shared/connections
 *
 * Finding the database connection a password grant logs in to, and checking it is enabled for
 * the client.
 */
import { OAuthError } from '../../errors/oauth-error.js';
import type { Client, Connection, TenantSettings } from '../../storage/models.js';
import type { Storage } from '../../storage/storage.js';

function enabledFor(connection: Connection, client: Client): Connection {
  if (!connection.enabled_clients.includes(client.client_id)) {
    throw new OAuthError('connection_disabled', {
      detail: `${connection.name} not enabled for ${client.client_id}`,
    });
  }
  return connection;
}

/** The tenant's default directory (`grant_type=password`). */
export async function defaultDirectory(
  storage: Storage,
  tenant: TenantSettings,
  client: Client,
): Promise<Connection> {
  const name = tenant.default_directory;
  const connection = name === null ? null : await storage.connections.getByName(name);
  if (!connection)
    throw new OAuthError('no_default_connection', { detail: `default_directory=${name}` });
  return enabledFor(connection, client);
}

/** The connection named by `realm` (password-realm grant). */
export async function realmConnection(
  storage: Storage,
  realm: string,
  client: Client,
): Promise<Connection> {
  const connection = await storage.connections.getByName(realm);
  if (!connection) throw new OAuthError('unknown_realm', { params: { realm } });
  return enabledFor(connection, client);
}

/**
 * @module storage/sqlite/sqlite-clients
 *
 * {@link ClientStore} over the `clients` table. The refresh-token policy and the origin lists
 * are JSON text; rows written before they existed hold the default policy and empty lists
 * (column defaults of migration 0002).
 */
import type { Kysely, Selectable } from 'kysely';
import type { Client } from '../models.js';
import type { ClientStore } from '../storage.js';
import { fromFlag, fromJson, rowCount, toFlag, toJson } from './columns.js';
import type { ClientsTable, Database } from './schema.js';

function toRow(client: Client): ClientsTable {
  return {
    client_id: client.client_id,
    name: client.name,
    app_type: client.app_type,
    grant_types: toJson(client.grant_types),
    token_endpoint_auth_method: client.token_endpoint_auth_method,
    client_secret_hash: client.client_secret_hash,
    client_authentication_methods:
      client.client_authentication_methods === null
        ? null
        : toJson(client.client_authentication_methods),
    is_token_endpoint_ip_header_trusted: toFlag(client.is_token_endpoint_ip_header_trusted),
    jwt_configuration: toJson(client.jwt_configuration),
    refresh_token: toJson(client.refresh_token),
    allowed_origins: toJson(client.allowed_origins),
    web_origins: toJson(client.web_origins),
    require_proof_of_possession: toFlag(client.require_proof_of_possession),
  };
}

function fromRow(row: Selectable<ClientsTable>): Client {
  return {
    client_id: row.client_id,
    name: row.name,
    app_type: row.app_type,
    grant_types: fromJson(row.grant_types),
    token_endpoint_auth_method: row.token_endpoint_auth_method,
    client_secret_hash: row.client_secret_hash,
    client_authentication_methods:
      row.client_authentication_methods === null
        ? null
        : fromJson(row.client_authentication_methods),
    is_token_endpoint_ip_header_trusted: fromFlag(row.is_token_endpoint_ip_header_trusted),
    jwt_configuration: fromJson(row.jwt_configuration),
    refresh_token: fromJson(row.refresh_token),
    allowed_origins: fromJson(row.allowed_origins),
    web_origins: fromJson(row.web_origins),
    require_proof_of_possession: fromFlag(row.require_proof_of_possession),
  };
}

/** A {@link ClientStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteClients(db: Kysely<Database>): ClientStore {
  return {
    async get(clientId) {
      const row = await db
        .selectFrom('clients')
        .selectAll()
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    async list() {
      const rows = await db.selectFrom('clients').selectAll().orderBy('client_id').execute();
      return rows.map(fromRow);
    },

    async upsert(client) {
      const row = toRow(client);
      const { client_id: _key, ...changes } = row;
      await db
        .insertInto('clients')
        .values(row)
        .onConflict((oc) => oc.column('client_id').doUpdateSet(changes))
        .execute();
    },

    async delete(clientId) {
      const result = await db
        .deleteFrom('clients')
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows) > 0;
    },
  };
}

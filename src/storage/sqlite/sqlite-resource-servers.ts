/**
 * @module storage/sqlite/sqlite-resource-servers
 *
 * {@link ResourceServerStore} over the `resource_servers` table, keyed by `identifier`.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ResourceServer } from '../models.js';
import type { ResourceServerStore } from '../storage.js';
import { fromFlag, fromJson, rowCount, toFlag, toJson } from './columns.js';
import type { Database, ResourceServersTable } from './schema.js';
import { withUniqueViolation } from './sqlite-errors.js';

function fromRow(row: Selectable<ResourceServersTable>): ResourceServer {
  return {
    id: row.id,
    identifier: row.identifier,
    name: row.name,
    scopes: fromJson(row.scopes),
    token_lifetime: row.token_lifetime,
    allow_offline_access: fromFlag(row.allow_offline_access),
    signing_alg: row.signing_alg,
    token_dialect: row.token_dialect,
    proof_of_possession:
      row.proof_of_possession === null ? null : fromJson(row.proof_of_possession),
  };
}

/** A {@link ResourceServerStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteResourceServers(db: Kysely<Database>): ResourceServerStore {
  return {
    async getByIdentifier(identifier) {
      const row = await db
        .selectFrom('resource_servers')
        .selectAll()
        .where('identifier', '=', identifier)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    async list() {
      const rows = await db
        .selectFrom('resource_servers')
        .selectAll()
        .orderBy('identifier')
        .execute();
      return rows.map(fromRow);
    },

    async upsert(api) {
      // A replaced API keeps its stored `id`: only the other fields are updated.
      const changes = {
        name: api.name,
        scopes: toJson(api.scopes),
        token_lifetime: api.token_lifetime,
        allow_offline_access: toFlag(api.allow_offline_access),
        signing_alg: api.signing_alg,
        token_dialect: api.token_dialect,
        proof_of_possession:
          api.proof_of_possession === null ? null : toJson(api.proof_of_possession),
      };
      await withUniqueViolation(
        db
          .insertInto('resource_servers')
          .values({ id: api.id, identifier: api.identifier, ...changes })
          .onConflict((oc) => oc.column('identifier').doUpdateSet(changes))
          .execute(),
      );
    },

    async delete(identifier) {
      const result = await db
        .deleteFrom('resource_servers')
        .where('identifier', '=', identifier)
        .executeTakeFirst();
      return rowCount(result.numDeletedRows) > 0;
    },
  };
}

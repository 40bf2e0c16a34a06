/**
 * @module storage/sqlite/sqlite-connections
 *
 * {@link ConnectionStore} over the `connections` table, keyed by `name`.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Connection } from '../models.js';
import type { ConnectionStore } from '../storage.js';
import { fromJson, rowCount, toJson } from './columns.js';
import type { ConnectionsTable, Database } from './schema.js';
import { withUniqueViolation } from './sqlite-errors.js';

function fromRow(row: Selectable<ConnectionsTable>): Connection {
  return {
    id: row.id,
    name: row.name,
    strategy: row.strategy,
    enabled_clients: fromJson(row.enabled_clients),
    options: fromJson(row.options),
  };
}

/** A {@link ConnectionStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteConnections(db: Kysely<Database>): ConnectionStore {
  return {
    async getByName(name) {
      const row = await db
        .selectFrom('connections')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    async list() {
      const rows = await db.selectFrom('connections').selectAll().orderBy('name').execute();
      return rows.map(fromRow);
    },

    async upsert(connection) {
      // A replaced connection keeps its stored `id`: only the other fields are updated.
      const changes = {
        strategy: connection.strategy,
        enabled_clients: toJson(connection.enabled_clients),
        options: toJson(connection.options),
      };
      await withUniqueViolation(
        db
          .insertInto('connections')
          .values({ id: connection.id, name: connection.name, ...changes })
          .onConflict((oc) => oc.column('name').doUpdateSet(changes))
          .execute(),
      );
    },

    async delete(name) {
      const result = await db.deleteFrom('connections').where('name', '=', name).executeTakeFirst();
      return rowCount(result.numDeletedRows) > 0;
    },
  };
}

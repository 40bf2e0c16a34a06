/**
 * @module storage/sqlite/sqlite-client-grants
 *
 * {@link ClientGrantStore} over the `client_grants` table: `id` is the primary key and
 * (`client_id`, `audience`) is unique. An upsert is one `INSERT … ON CONFLICT (client_id,
 * audience) DO UPDATE` that changes only the scopes, so a replaced grant keeps its `id`.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ClientGrant } from '../models.js';
import type { ClientGrantStore } from '../storage.js';
import { fromJson, rowCount, toJson } from './columns.js';
import type { ClientGrantsTable, Database } from './schema.js';
import { withUniqueViolation } from './sqlite-errors.js';

function fromRow(row: Selectable<ClientGrantsTable>): ClientGrant {
  return {
    id: row.id,
    client_id: row.client_id,
    audience: row.audience,
    scope: fromJson(row.scope),
  };
}

/** A {@link ClientGrantStore} that runs its queries on `db` (a database or a transaction). */
export function sqliteClientGrants(db: Kysely<Database>): ClientGrantStore {
  const grants = () => db.selectFrom('client_grants').selectAll();
  return {
    async find(clientId, audience) {
      const row = await grants()
        .where('client_id', '=', clientId)
        .where('audience', '=', audience)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    async list() {
      const rows = await grants().orderBy('client_id').orderBy('audience').execute();
      return rows.map(fromRow);
    },

    async upsert(grant) {
      const scope = toJson(grant.scope);
      await withUniqueViolation(
        db
          .insertInto('client_grants')
          .values({ id: grant.id, client_id: grant.client_id, audience: grant.audience, scope })
          .onConflict((oc) => oc.columns(['client_id', 'audience']).doUpdateSet({ scope }))
          .execute(),
      );
    },

    async delete(id) {
      const result = await db.deleteFrom('client_grants').where('id', '=', id).executeTakeFirst();
      return rowCount(result.numDeletedRows) > 0;
    },
  };
}

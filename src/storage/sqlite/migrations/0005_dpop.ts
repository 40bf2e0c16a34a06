/**
 * @module storage/sqlite/migrations/0005_dpop
 *
 * DPoP (RFC 9449): the clients' and APIs' proof-of-possession policy, the key thumbprint a
 * refresh-token family or an opaque access token is bound to, and the used proof identifiers.
 * Rows written before this migration are not bound and have no policy.
 */
import type { Kysely, Migration } from 'kysely';

async function addPolicyColumns(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('clients')
    .addColumn('require_proof_of_possession', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('resource_servers').addColumn('proof_of_possession', 'text').execute();
}

async function addBindingColumns(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('refresh_tokens').addColumn('dpop_jkt', 'text').execute();
  await db.schema.alterTable('access_tokens').addColumn('dpop_jkt', 'text').execute();
}

async function createDpopProofsTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('dpop_proofs')
    .addColumn('jkt', 'text', (c) => c.notNull())
    .addColumn('jti_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('dpop_proofs_pk', ['jkt', 'jti_hash'])
    .execute();
  await db.schema
    .createIndex('dpop_proofs_expires_at')
    .on('dpop_proofs')
    .column('expires_at')
    .execute();
}

/** Adds the DPoP policy and binding columns and the `dpop_proofs` table. */
export const dpop: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await addPolicyColumns(db);
    await addBindingColumns(db);
    await createDpopProofsTable(db);
  },
};

import type { Kysely } from 'kysely';

// Why: issue #17 puts a "For you" section in the digest of a subscriber who has an account. Each
// outbox row holds what its mail will say, decided once when the row is queued, so a retry or a
// second worker sends the same mail and nothing twice. for_you holds the personal section as JSON
// ([{ "id": paper id, "why": reason }]); null for a subscriber without a matched account, or whose
// account has too few signals for recommendations of its own.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('digest_outbox').addColumn('for_you', 'text').execute();
}

import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Why: every card shows its paper's top result facts (issue #18). Cards come from a dozen listing
// queries; a JSON copy of the facts on the paper row (as papers.authors is) lets each of them
// carry the facts with no extra query. paper_facts stays the queryable form; both are written in
// one transaction by the fact store.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('papers').addColumn('facts_json', 'text').execute();
}

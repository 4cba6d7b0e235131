import type { Kysely } from 'kysely';

// Why: issue #13 asks for categories for papers from every source. A paper known only from
// Hugging Face's daily list arrives without arXiv categories; the fill-categories job asks arXiv's
// API for them. This column records when arXiv was last asked for a paper still without categories,
// so a paper arXiv does not answer for is asked again only after a while, and never holds up the
// papers behind it in the job's queue.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('papers').addColumn('categories_asked_at', 'text').execute();
}

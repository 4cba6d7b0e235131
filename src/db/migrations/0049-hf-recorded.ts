import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Why: issue #14 — values imported from Hugging Face must come back from the HF-compatible API
// exactly as recorded. papers.title/abstract/authors hold the normalised text the pages and search
// use (arXiv's hard line breaks undone), so the recorded title, summary and author names are kept
// beside them (NULL: the paper never came from Hugging Face), and each daily entry keeps the item's
// outer publishedAt, title and summary as recorded (the outer ones may differ from the paper's).
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  for (const column of ['hf_title', 'hf_summary', 'hf_authors']) {
    await db.schema.alterTable('papers').addColumn(column, 'text').execute();
  }
  for (const column of ['hf_published_at', 'hf_title', 'hf_summary']) {
    await db.schema.alterTable('daily_entries').addColumn(column, 'text').execute();
  }
}

import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Why: Hugging Face's /api/daily_papers carries per-day facts the site's HF-compatible API and
// cards show (the submitter's avatar, the thumbnail and media, the comment count and upvotes as
// captured that day, the discussion id, the submitter's own organisation). Comments imported from
// HF are kept apart from local ones, as imported_upvotes is for votes, so a re-import never
// clobbers comments written here.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // One statement per column: SQLite cannot add several columns in one ALTER TABLE.
  const entryColumns: Array<[string, 'text' | 'integer']> = [
    ['submitter_avatar_url', 'text'],
    ['thumbnail_url', 'text'],
    ['media_urls', 'text'],
    ['upvotes', 'integer'],
    ['discussion_id', 'text'],
    ['is_author_participating', 'integer'],
  ];
  for (const [name, type] of entryColumns) {
    await db.schema.alterTable('daily_entries').addColumn(name, type).execute();
  }
  await db.schema
    .alterTable('daily_entries')
    .addColumn('num_comments', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('daily_entries')
    .addColumn('submitter_organization_id', 'integer', (c) => c.references('organizations.id').onDelete('set null'))
    .execute();
  await db.schema
    .alterTable('papers')
    .addColumn('imported_comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

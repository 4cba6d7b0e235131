import { type Kysely, sql } from 'kysely';
import { type Dialect, idColumn } from '../dialect.js';

// Why: the spine — papers as arXiv gives them, Daily Papers entries, New on arXiv listings,
// organisations and harvest progress. Portable types only (see schema.ts).
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('fullname', 'text')
    .addColumn('avatar_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('papers')
    .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
    .addColumn('arxiv_id', 'text', (c) => c.notNull().unique())
    .addColumn('version', 'integer')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('abstract', 'text', (c) => c.notNull())
    .addColumn('authors', 'text', (c) => c.notNull())
    .addColumn('author_count', 'integer', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('primary_category', 'text')
    .addColumn('comment', 'text')
    .addColumn('journal_ref', 'text')
    .addColumn('doi', 'text')
    .addColumn('license', 'text')
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text')
    .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('github_repo', 'text')
    .addColumn('github_stars', 'integer')
    .addColumn('project_page', 'text')
    .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('ai_summary', 'text')
    .addColumn('ai_keywords', 'text')
    .addColumn('imported_upvotes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('upvotes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('metadata_as_of', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('papers_published_at').on('papers').columns(['published_at']).execute();
  await db.schema.createIndex('papers_organization').on('papers').columns(['organization_id']).execute();
  await db.schema.createIndex('papers_upvotes').on('papers').columns(['upvotes']).execute();

  await db.schema
    .createTable('paper_authors')
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('paper_authors_pk', ['paper_id', 'position'])
    .execute();
  await db.schema.createIndex('paper_authors_name').on('paper_authors').columns(['name']).execute();

  await db.schema
    .createTable('daily_entries')
    .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('submitted_by', 'text')
    .addColumn('submitter_fullname', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'integer', (c) => c.references('organizations.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('daily_entries_paper_day', ['paper_id', 'day'])
    .execute();
  await db.schema.createIndex('daily_entries_day').on('daily_entries').columns(['day', 'position']).execute();
  await db.schema.createIndex('daily_entries_submitter').on('daily_entries').columns(['submitted_by']).execute();

  await db.schema
    .createTable('listing_entries')
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('first_appearance', 'integer', (c) => c.notNull())
    .addColumn('primary_category', 'text')
    .addPrimaryKeyConstraint('listing_entries_pk', ['paper_id', 'day'])
    .execute();
  await db.schema.createIndex('listing_entries_day').on('listing_entries').columns(['day']).execute();

  await db.schema
    .createTable('harvest_state')
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('datestamp', 'text')
    .addColumn('resumption_token', 'text')
    .addColumn('run_from', 'text')
    .addColumn('run_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  void sql;
}

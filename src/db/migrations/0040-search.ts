import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Why: search keeps its in-process index current by reading papers changed since its last look
// (an index on modified_at makes that a range scan, not a full scan at a million papers), stores
// each paper's embedding beside it so a restart need not recompute a million of them, and keeps the
// trained embedding model (vocabulary and word vectors) so new papers are embedded consistently.
// Vectors are base64 text: portable across SQLite and PostgreSQL without blob/bytea differences.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('papers_modified_at').on('papers').columns(['modified_at', 'id']).execute();
  await db.schema
    .createTable('paper_vectors')
    .addColumn('paper_id', 'integer', (c) => c.primaryKey().references('papers.id').onDelete('cascade'))
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('vector', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('search_models')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

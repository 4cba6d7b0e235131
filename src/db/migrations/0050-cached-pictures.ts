import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Why: issue #13 gives every card the paper's first figure and every organisation its own avatar,
// without hot-linking another site. A background job fetches each picture once and keeps the bytes
// here, in the database rather than files under a data directory: the site has no data directory
// setting, every web process (and a PostgreSQL site's several hosts) reads the same rows, and
// backups and `paperboy db copy` carry the pictures with the papers. Pictures are capped small
// (services/pictures.ts), so the table stays a few tens of KB a paper. A row with no bytes records
// "no picture there", so the job never asks again. papers.has_figure lets a card choose the figure
// or the generated cover without reading the table.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('cached_pictures')
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('source_url', 'text')
    .addColumn('content_type', 'text')
    .addColumn('bytes', dialect === 'postgres' ? 'bytea' : 'blob')
    .addColumn('byte_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cached_pictures_pk', ['owner_kind', 'owner_id'])
    .execute();
  await db.schema
    .alterTable('papers')
    .addColumn('has_figure', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

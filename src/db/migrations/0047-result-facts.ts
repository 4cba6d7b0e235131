import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// Why: issue #18 shows, filters and ranks papers by the headline numbers of their abstracts
// ("1.79x faster decoding on CPU", "62% less KV cache"). Each fact is one row of paper_facts, so a
// query term (speedup:>2, metric:"kv cache") and a results page ("largest decoding speedups this
// month") are plain indexed SQL on both databases. papers.facts_version records which version of
// the extractor wrote a paper's facts: NULL when the abstract is new or changed, so a background
// job (not the import, which must stay fast) extracts exactly those, and a new extractor version
// re-extracts everything without a flag day. metric_key and setting_key are the lower-cased
// metric and setting the filters match on.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('papers').addColumn('facts_version', 'integer').execute();
  await db.schema
    .createTable('paper_facts')
    .addColumn('paper_id', 'integer', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addColumn('value_max', 'double precision')
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('span', 'text', (c) => c.notNull())
    .addColumn('metric', 'text')
    .addColumn('setting', 'text')
    .addColumn('baseline', 'text')
    .addColumn('metric_key', 'text')
    .addColumn('setting_key', 'text')
    .addPrimaryKeyConstraint('paper_facts_pk', ['paper_id', 'position'])
    .execute();
  await db.schema.createIndex('paper_facts_kind_value').on('paper_facts').columns(['kind', 'value']).execute();
  // The job's look-up of papers still to extract: few rows once it has caught up.
  await sql`create index papers_facts_pending on papers (id) where facts_version is null`.execute(db);
}

import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// Why: with KEYWORD_SEARCH=database, PostgreSQL ranks keyword queries itself, so web processes
// need not hold the in-process keyword index. This adds what its full-text search needs: one
// weighted tsvector per paper, kept by PostgreSQL itself (a STORED generated column: every write
// path, including imports and `db copy`, stays correct with no code to remember), and a GIN index
// on it. The labels name fields, not fixed worths: the weights are given at query time
// (src/store/pg-fulltext-store.ts).
//   A  title     ('english': stemmed, stop words dropped) — says best what a paper is about
//   B  abstract  ('english')
//   C  authors   ('simple': lower-cased, never stemmed or dropped, so "He" and "An" stay names);
//                only author words carry C, which is what `author:` filters on ('hinton':C).
// papers.authors is the JSON array of names; the parser splits it at quotes and commas.
// Every function here is immutable with an explicit configuration, as a generated column requires.
// Hazard: adding the column rewrites the papers table and the GIN build reads every paper (minutes
// at a million papers, holding the table lock); it runs on every PostgreSQL site, whatever
// KEYWORD_SEARCH says, because migrations cannot depend on configuration.
// SQLite: nothing; its sites use the in-process index.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`
    alter table papers add column search_vector tsvector generated always as (
      setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
      setweight(to_tsvector('english'::regconfig, coalesce(abstract, '')), 'B') ||
      setweight(to_tsvector('simple'::regconfig, coalesce(authors, '')), 'C')
    ) stored`.execute(db);
  await sql`create index papers_search_vector on papers using gin (search_vector)`.execute(db);
}

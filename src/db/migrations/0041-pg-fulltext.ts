import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// Why: with KEYWORD_SEARCH=database, PostgreSQL ranks keyword queries itself, so web processes
// need not hold the in-process keyword index. This adds what its full-text search needs: one
// weighted tsvector per paper and a GIN index on it (src/store/pg-fulltext-store.ts queries them).
//   A  title     ('english': stemmed, stop words dropped) — says best what a paper is about
//   B  abstract  ('english')
//   C  authors   ('simple': lower-cased, never stemmed or dropped, so "He" and "An" stay names);
//                only author words carry C, which is what `author:` filters on ('hinton':C).
// The labels name fields; what each is worth is given at query time. papers.authors is the JSON
// array of names: the parser splits it at the quotes and commas.
//
// Its own table, kept by triggers on papers, not a generated column of papers: a stored column
// would come back with every `select *` of papers (paper pages, the importer's re-read of existing
// rows: kilobytes a paper), and every vote, which updates papers.upvotes, would write a new row
// version with its GIN entries (measured: updates of papers 1.5–1.9× slower). The triggers fire
// only when a paper is inserted or its title, abstract or authors change, so every write path
// (imports, edits, `db copy`) keeps it right with no code to remember.
// Hazard: the backfill and the GIN build read every paper (minutes at a million papers). They run
// on every PostgreSQL site, whatever KEYWORD_SEARCH says: migrations cannot depend on configuration.
// SQLite: nothing; its sites use the in-process index.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`
    create table paper_search (
      paper_id integer primary key references papers (id) on delete cascade,
      document tsvector not null
    )`.execute(db);
  // One definition of the document, for the triggers and the backfill.
  await sql`
    create function paper_search_document(title text, abstract text, authors text) returns tsvector
    language sql immutable parallel safe as $$
      select setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
             setweight(to_tsvector('english'::regconfig, coalesce(abstract, '')), 'B') ||
             setweight(to_tsvector('simple'::regconfig, coalesce(authors, '')), 'C')
    $$`.execute(db);
  // search_path is pinned so the trigger finds paper_search whatever the writing session's path.
  await sql`
    create function paper_search_refresh() returns trigger
    language plpgsql set search_path from current as $$
    begin
      insert into paper_search (paper_id, document)
      values (new.id, paper_search_document(new.title, new.abstract, new.authors))
      on conflict (paper_id) do update set document = excluded.document;
      return null;
    end
    $$`.execute(db);
  await sql`create trigger papers_search_insert after insert on papers for each row execute function paper_search_refresh()`.execute(
    db,
  );
  await sql`
    create trigger papers_search_update after update of title, abstract, authors on papers for each row
    when (old.title is distinct from new.title or old.abstract is distinct from new.abstract or old.authors is distinct from new.authors)
    execute function paper_search_refresh()`.execute(db);
  await sql`insert into paper_search (paper_id, document) select id, paper_search_document(title, abstract, authors) from papers`.execute(
    db,
  );
  // After the backfill: one bulk build is faster than growing the index row by row.
  await sql`create index paper_search_gin on paper_search using gin (document)`.execute(db);
}

import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/open.js';
import type { KeywordQuery, KeywordResult } from '../search/keyword-index.js';
import type { KeywordRanker } from '../search/keyword-ranker.js';
import { AUTHOR_WEIGHT, authorWords, TITLE_WEIGHT } from '../search/segment.js';
import { termOf } from '../search/tokenize.js';
import { paperHasFactSql } from './fact-store.js';
import { storeError } from './store-errors.js';

/**
 * Keyword search by PostgreSQL's own full-text machinery (KEYWORD_SEARCH=database): the weighted
 * tsvector `paper_search.document` (migration 0041: title A, abstract B, authors C; kept by
 * triggers on papers) and its GIN index.
 * The query language means what it means with the in-process index:
 *   words            any may match: plainto_tsquery per word, OR-ed, ranked by ts_rank_cd
 *   "a phrase"       phraseto_tsquery: its words in order (stop words keep their place)
 *   -word            && !!(…): a paper with any excluded word is dropped
 *   author:name      every word of the name among the author words ('lecun':C, unstemmed)
 *   cat: org: after: before: has:code, and the form's filters: plain conditions on papers
 * Words are parsed and stemmed by PostgreSQL ('english', Snowball), so a word may match a little
 * differently than in the in-process index (Porter, the SMART stop words); highlights still come
 * from the query's own terms.
 *
 * @example
 * const ranker = pgFulltextRanker(db);
 * await ranker.search(SearchEngine.keywordQuery(parseQuery('graph -survey')), 10); // { hits, total, … }
 */

/** The text search configuration of the document's title and abstract: must match migration 0041. */
const TEXT_CONFIG = 'english';
/**
 * ts_rank_cd weights of the labels {D, C, B, A}: authors C, abstract B, title A (D unused).
 * Derived from the in-process BM25F's field weights, so both backends weigh fields alike: a title
 * word counts as TITLE_WEIGHT abstract words, an author word as AUTHOR_WEIGHT.
 */
const RANK_WEIGHTS: readonly number[] = [0, AUTHOR_WEIGHT / TITLE_WEIGHT, 1 / TITLE_WEIGHT, 1];
/**
 * ts_rank_cd normalisation 1: the rank divided by 1 + log(the paper's length in words). Mild, as
 * BM25's b = 0.4 is: a long abstract should not win by repeating a word, nor a short one be favoured much.
 */
const RANK_NORMALIZATION = 1;
/** Candidate ids per `acceptor` query: PostgreSQL takes 65,535 parameters, far more than the vector index asks about. */
const ACCEPT_IDS_PER_QUERY = 5000;

type Tsquery = RawBuilder<unknown>;

/** The label author words carry in the document (migration 0041). */
const AUTHOR_LABEL = 'C';

/** Author words in tsquery syntax, e.g. 'yann':C & 'lecun':C; quotes and backslashes escaped. */
function authorLexemes(words: string[], op: '&' | '|'): string {
  return words.map((w) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}':${AUTHOR_LABEL}`).join(` ${op} `);
}

/** Text parsed and stemmed by PostgreSQL: a typed word (its pieces, as "state-of-the-art" has), or a phrase in order. */
const plain = (text: string): Tsquery => sql`plainto_tsquery(${sql.lit(TEXT_CONFIG)}::regconfig, ${text})`;
const phrase = (text: string): Tsquery => sql`phraseto_tsquery(${sql.lit(TEXT_CONFIG)}::regconfig, ${text})`;

/**
 * One free word: its stem anywhere, or (when stemming would change it) the word itself among the
 * author names, which are stored unstemmed — so "jones" still finds Jones as the index finds him.
 */
function wordQuery(word: string): Tsquery {
  const asAuthor = authorWords(word).filter((w) => {
    const t = termOf(w);
    return t !== null && t !== w;
  });
  return asAuthor.length === 0 ? plain(word) : sql`(${plain(word)} || ${authorLexemes(asAuthor, '|')}::tsquery)`;
}

function or(parts: Tsquery[]): Tsquery {
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` || `)})`;
}

function and(parts: Tsquery[]): Tsquery {
  return parts.length === 1 ? parts[0] : sql`(${sql.join(parts, sql` && `)})`;
}

interface CompiledQuery {
  /** What ranks (the words and phrases, any may match); null when the query has none. */
  rank: Tsquery | null;
  /** What every result must satisfy besides (phrases, authors, no excluded word); null when nothing. */
  must: Tsquery | null;
  /** Conditions on columns of papers (category, organisation, dates, code). */
  where: Array<Expression<SqlBool>>;
}

/** Escape LIKE's wildcards (PostgreSQL's default escape character is the backslash). */
function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function compile(q: KeywordQuery): CompiledQuery {
  // The typed words when the caller has them; otherwise the index terms stand in (stems stem to themselves, mostly).
  const text = q.text ?? { words: [...q.terms.keys()], phrases: q.required ?? [], excluded: q.excluded ?? [] };
  const phrases = text.phrases.map(phrase);
  const ranked = [...text.words.map(wordQuery), ...phrases];
  const must: Tsquery[] = [...phrases];
  const f = q.filters ?? {};
  const names = (f.authors ?? []).flatMap(authorWords);
  if (names.length > 0) must.push(sql`${authorLexemes(names, '&')}::tsquery`);
  if (text.excluded.length > 0) must.push(sql`!!${or(text.excluded.map(plain))}`);
  const where: Array<Expression<SqlBool>> = [];
  // categories is a JSON array of strings: a category matches as a whole quoted element, in any case.
  if (f.category !== undefined)
    where.push(sql<SqlBool>`lower(papers.categories) like ${`%"${likeLiteral(f.category.toLowerCase())}"%`}`);
  if (f.org !== undefined)
    where.push(
      sql<SqlBool>`papers.organization_id in (select id from organizations where lower(name) = ${f.org.toLowerCase()})`,
    );
  // Whole days, as the index compares them; a paper with no date fails any date bound there too.
  if (f.after !== undefined) where.push(sql<SqlBool>`substr(papers.published_at, 1, 10) >= ${f.after.slice(0, 10)}`);
  if (f.before !== undefined) where.push(sql<SqlBool>`substr(papers.published_at, 1, 10) <= ${f.before.slice(0, 10)}`);
  if (f.hasCode) where.push(sql<SqlBool>`(papers.github_repo is not null and papers.github_repo <> '')`);
  if (f.fact || f.hasResults) where.push(paperHasFactSql(f.fact));
  return { rank: ranked.length > 0 ? or(ranked) : null, must: must.length > 0 ? and(must) : null, where };
}

/** `q` without its ranked words: what browsing and the vector candidates must pass. */
function filtersOnly(q: KeywordQuery): CompiledQuery {
  return compile({ ...q, terms: new Map(), text: q.text ? { ...q.text, words: [] } : undefined });
}

/** Papers, joined to their documents when the query has conditions on them. */
function papersWith(db: Db, c: CompiledQuery) {
  return db.kysely
    .selectFrom('papers')
    .$if(c.must !== null, (qb) =>
      qb
        .innerJoin('paper_search', 'paper_search.paper_id', 'papers.id')
        .where(sql<SqlBool>`paper_search.document @@ ${c.must}`),
    )
    .where((eb) => eb.and(c.where));
}

/** The query as typed, for error messages. */
function queryLabel(q: KeywordQuery): string {
  const t = q.text;
  return JSON.stringify(
    t
      ? [...t.words, ...t.phrases.map((p) => `"${p}"`), ...t.excluded.map((w) => `-${w}`)].join(' ')
      : [...q.terms.keys()].join(' '),
  );
}

/** The k best papers for `q` by ts_rank_cd over the GIN index, with the exact number of matches. */
async function fulltextSearch(db: Db, q: KeywordQuery, k: number): Promise<KeywordResult> {
  const c = compile(q);
  if (!c.rank) return fulltextBrowse(db, q, k);
  const match = c.must ? and([c.rank, c.must]) : c.rank;
  try {
    // Hazard: ts_rank_cd reads the tsvector of every match before the top k are kept, so a query of
    // very common words costs in proportion to its matches (see BENCHMARKS.md, bench:search).
    const rows = await db.kysely
      .selectFrom('paper_search')
      // Papers only when filters need their columns: a join per match is not free at 100,000 matches.
      .$if(c.where.length > 0, (qb) =>
        qb.innerJoin('papers', 'papers.id', 'paper_search.paper_id').where((eb) => eb.and(c.where)),
      )
      .select([
        'paper_search.paper_id as id',
        sql<number>`ts_rank_cd(${[...RANK_WEIGHTS]}::float4[], paper_search.document, ${c.rank}, ${RANK_NORMALIZATION})`.as(
          'score',
        ),
        sql<number>`count(*) over ()`.as('total'),
      ])
      .where(sql<SqlBool>`paper_search.document @@ ${match}`)
      .orderBy('score', 'desc')
      .orderBy('paper_search.paper_id', 'desc')
      .limit(k)
      .execute();
    return {
      hits: rows.map((r) => ({ paperId: r.id, score: Number(r.score) })),
      total: Number(rows[0]?.total ?? 0),
      totalIsEstimate: false,
    };
  } catch (err) {
    throw storeError(`search papers by full text for ${queryLabel(q)}`, err);
  }
}

/** Papers passing the filters (and required and excluded words) of `q`, newest first, as the index's browse orders them. */
async function fulltextBrowse(db: Db, q: KeywordQuery, k: number): Promise<KeywordResult> {
  const c = filtersOnly(q);
  try {
    const rows = await papersWith(db, c)
      .select(['papers.id', sql<number>`count(*) over ()`.as('total')])
      .orderBy(sql`substr(papers.published_at, 1, 10)`, (ob) => ob.desc().nullsLast())
      .orderBy('papers.id', 'desc')
      .limit(k)
      .execute();
    return {
      hits: rows.map((r) => ({ paperId: r.id, score: 0 })),
      total: Number(rows[0]?.total ?? 0),
      totalIsEstimate: false,
    };
  } catch (err) {
    throw storeError(`browse papers by full-text filters ${queryLabel(q)}`, err);
  }
}

/** Which of `paperIds` pass the filters, phrases, authors and excluded words of `q` (the ranked words need not match). */
async function fulltextAccepted(db: Db, q: KeywordQuery, paperIds: number[]): Promise<Set<number>> {
  const out = new Set<number>();
  if (paperIds.length === 0) return out;
  const c = filtersOnly(q);
  try {
    for (let i = 0; i < paperIds.length; i += ACCEPT_IDS_PER_QUERY) {
      const rows = await papersWith(db, c)
        .select('papers.id')
        .where('papers.id', 'in', paperIds.slice(i, i + ACCEPT_IDS_PER_QUERY))
        .execute();
      for (const r of rows) out.add(r.id);
    }
    return out;
  } catch (err) {
    throw new Error(
      `store: cannot filter ${paperIds.length} papers by full text ${queryLabel(q)}: ${(err as Error).message}`,
    );
  }
}

/**
 * The keyword ranker the search engine uses when KEYWORD_SEARCH=database. Nothing is held in
 * memory: every answer is a query, so a paper is found as soon as its row is committed.
 */
export function pgFulltextRanker(db: Db): KeywordRanker {
  if (db.dialect !== 'postgres') {
    throw new Error(
      'store: full-text keyword search needs PostgreSQL. Fix: KEYWORD_SEARCH=index (the in-process index) on SQLite.',
    );
  }
  return {
    checksPhrases: true,
    search: (q, k) => fulltextSearch(db, q, k),
    browse: (q, k) => fulltextBrowse(db, q, k),
    acceptor: async (q, candidates) => {
      const ok = await fulltextAccepted(db, q, candidates());
      return (id) => ok.has(id);
    },
  };
}

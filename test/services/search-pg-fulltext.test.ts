import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { emptyRecord, type PaperRecord } from '../../src/model/paper.js';
import {
  type SearchFilters,
  type SearchMode,
  searchIndexInfo,
  searchPapers,
  similarPapers,
} from '../../src/services/search.js';
import { upsertPapers } from '../../src/store/paper-store.js';
import { testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

// KEYWORD_SEARCH=database: PostgreSQL ranks keyword queries with its own full-text search
// (migration 0041, src/store/pg-fulltext-store.ts). These run in the PostgreSQL leg of
// TEST_DIALECTS; the SQLite side of the setting is a configuration error, tested at the end.

function rec(n: number, title: string, abstract: string, over: Partial<PaperRecord> = {}): PaperRecord {
  return {
    ...emptyRecord(`2501.${String(n).padStart(5, '0')}`),
    title,
    abstract,
    authors: ['Ada Lovelace'],
    categories: ['cs.LG'],
    publishedAt: '2025-03-01',
    ...over,
  };
}

const PAPERS: PaperRecord[] = [
  rec(
    1,
    'Graph neural networks for molecules',
    'Message passing neural networks predict molecular properties from graphs of atoms and bonds.',
    { organizationName: 'apple' },
  ),
  rec(
    2,
    'Protein structure prediction with attention',
    'Attention over amino acid residues predicts protein structure; folding accuracy improves.',
    { authors: ['Yann LeCun', 'Kaiming He'], categories: ['q-bio.BM'] },
  ),
  rec(
    3,
    'Neural machine translation at scale',
    'Sequence to sequence transformers translate between languages; large language models help translation.',
    { categories: ['cs.CL'], githubRepo: 'https://github.com/x/nmt' },
  ),
  rec(4, 'Graph colouring heuristics', 'Greedy graph colouring of sparse graphs; chromatic number bounds.', {
    categories: ['math.CO'],
    publishedAt: '2024-01-10',
  }),
  rec(
    5,
    'Large language models as agents',
    'Large language models plan and act with tools; agents built on language models.',
    { categories: ['cs.CL', 'cs.AI'], organizationName: 'apple' },
  ),
  rec(6, 'Image diffusion models', 'Denoising diffusion generates images from noise; a survey of image synthesis.', {
    categories: ['cs.CV'],
    publishedAt: '2025-06-15',
  }),
  rec(
    7,
    'Molecular property prediction benchmarks',
    'Benchmarks of molecular property prediction with graph networks and fingerprints of molecules.',
    { githubRepo: 'https://github.com/x/mol' },
  ),
  rec(
    8,
    'Speech recognition with transformers',
    'Transformers recognise speech; audio models and language models for speech.',
    { categories: ['eess.AS'], authors: ['Geoffrey Hinton', 'Ada Lovelace'] },
  ),
  // A name in the title is not an author: author:lovelace must not find this one.
  rec(9, 'Lovelace and the analytical engine', 'A history of the first program, written for a machine never built.', {
    authors: ['Charles Babbage'],
    categories: ['cs.GL'],
    publishedAt: '2023-12-31',
  }),
  rec(10, 'Models of protein language', 'Protein language models learn from sequences of residues.', {
    authors: ['Jane Jones'],
    categories: ['q-bio.BM', 'cs.CL'],
    publishedAt: null,
  }),
];

function appFor(db: TestDb, keywordSearch: 'index' | 'database'): App {
  const url = db.target.kind === 'sqlite' ? db.target.file : db.target.url;
  return testApp(db, { DATABASE_URL: url, KEYWORD_SEARCH: keywordSearch });
}

/** Paper numbers (the arXiv id's last digits) of a search's hits, in order. */
async function nums(
  app: App,
  q: string,
  opts: { mode?: SearchMode; filters?: SearchFilters; limit?: number; offset?: number } = {},
): Promise<number[]> {
  const r = await searchPapers(app, {
    q,
    mode: opts.mode ?? 'keyword',
    filters: opts.filters,
    limit: opts.limit ?? 100,
    offset: opts.offset ?? 0,
  });
  const rows = await app.db.kysely.selectFrom('papers').select(['id', 'arxiv_id']).execute();
  const byId = new Map(rows.map((x) => [x.id, Number(x.arxiv_id.slice(-5))]));
  return r.hits.map((h) => byId.get(h.paperId)!);
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

describe.each(TEST_DIALECTS)('migration 0041 on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('adds the weighted documents, their GIN index and the triggers keeping them, on PostgreSQL only', async () => {
    // The catalogue of this database's own schema.
    const tables =
      dialect === 'postgres'
        ? await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(
            db.kysely,
          )
        : await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db.kysely);
    expect(tables.rows.some((t) => t.name === 'papers')).toBe(true);
    expect(tables.rows.some((t) => t.name === 'paper_search')).toBe(dialect === 'postgres');
    if (dialect !== 'postgres') return;
    const document = async (n: number) => {
      const r = await sql<{
        v: string;
      }>`select s.document::text as v from paper_search s join papers p on p.id = s.paper_id where p.arxiv_id = ${`2501.${String(n).padStart(5, '0')}`}`.execute(
        db.kysely,
      );
      return r.rows[0]?.v;
    };
    await upsertPapers(db, [PAPERS[1]]);
    // Title words carry A, abstract words B, author words C (unstemmed: "He" stays a name).
    const v = await document(2);
    expect(v).toContain("'protein':1A");
    expect(v).toMatch(/'residu':\d+B/);
    expect(v).toMatch(/'he':\d+C/);
    // A new title rewrites the document; a vote (papers.upvotes) leaves it alone.
    await upsertPapers(db, [{ ...PAPERS[1], title: 'Quantum structure', version: 2 }]);
    expect(await document(2)).toContain("'quantum':1A");
    const before = await sql<{ x: string }>`select s.xmin::text as x from paper_search s`.execute(db.kysely);
    await db.kysely.updateTable('papers').set({ upvotes: 7 }).execute();
    const after = await sql<{ x: string }>`select s.xmin::text as x from paper_search s`.execute(db.kysely);
    expect(after.rows).toEqual(before.rows);
    // Deleting a paper deletes its document.
    await db.kysely.deleteFrom('papers').execute();
    expect((await sql<{ n: number }>`select count(*) as n from paper_search`.execute(db.kysely)).rows[0].n).toBe(0);
    const idx = await sql<{
      def: string;
    }>`select indexdef as def from pg_indexes where schemaname = current_schema() and indexname = 'paper_search_gin'`.execute(
      db.kysely,
    );
    expect(idx.rows[0].def).toMatch(/USING gin \(document\)/);
  });
});

describe.each(TEST_DIALECTS.filter((d) => d === 'postgres'))(
  'keyword search by PostgreSQL full text (%s)',
  (dialect) => {
    let db: TestDb;
    let app: App;
    beforeEach(async () => {
      db = await createTestDb(dialect);
      app = appFor(db, 'database');
      await upsertPapers(db, PAPERS);
    });
    afterEach(async () => {
      await db.drop();
    });

    it('ranks title matches above abstract-only matches, exactly counted, with highlights', async () => {
      const graph = await nums(app, 'graph');
      expect(sorted(graph.slice(0, 2))).toEqual([1, 4]); // "Graph" in the title
      expect(graph[2]).toBe(7); // only in the abstract
      expect(sorted(await nums(app, 'protein'))).toEqual([2, 10]);
      const r = await searchPapers(app, { q: 'protein', mode: 'keyword', limit: 1, offset: 0 });
      expect(r.total).toBe(2);
      expect(r.totalIsEstimate).toBe(false);
      expect(r.hits[0].highlights?.title).toMatch(/<mark>[Pp]rotein<\/mark>/);
      expect(r.hits[0].highlights?.abstract).toMatch(/<mark>[Pp]rotein<\/mark>/);
      // Any word may match; more matching words rank higher.
      const lm = await nums(app, 'language models');
      expect(lm[0]).toBe(5);
      expect(sorted(lm)).toEqual([3, 5, 6, 8, 10]);
    });

    it('applies every operator of the query language', async () => {
      expect(sorted(await nums(app, '"language models"'))).toEqual([3, 5, 8, 10]); // the words in that order
      expect(await nums(app, '"models language"')).toEqual([]);
      expect(await nums(app, '"protein graph"')).toEqual([]);
      expect(sorted(await nums(app, 'graph -colouring'))).toEqual([1, 7]);
      expect(sorted(await nums(app, 'models -"image speech"'))).toEqual([3, 5, 10]);
      expect(await nums(app, 'structure author:lecun')).toEqual([2]);
      expect(await nums(app, 'protein author:"Yann LeCun"')).toEqual([2]);
      expect(await nums(app, 'protein author:"Yann Hinton"')).toEqual([]);
      expect(await nums(app, 'author:he')).toEqual([2]); // a stop word in English, a name here
      expect(sorted(await nums(app, 'author:lovelace'))).toEqual([1, 3, 4, 5, 6, 7, 8]); // not 9: "Lovelace" only in its title
      expect(await nums(app, 'jones')).toEqual([10]); // an author name the stemmer would change
      expect(sorted(await nums(app, 'graph cat:math.CO'))).toEqual([4]);
      expect(sorted(await nums(app, 'language cat:CS.cl'))).toEqual([3, 5, 10]);
      expect(sorted(await nums(app, 'models org:apple'))).toEqual([5]);
      expect(sorted(await nums(app, 'graph before:2024-12'))).toEqual([4]);
      expect(sorted(await nums(app, 'graph after:2025'))).toEqual([1, 7]);
      expect(sorted(await nums(app, 'models after:2025-06-15 before:2025-06-15'))).toEqual([6]);
      expect(sorted(await nums(app, 'language has:code'))).toEqual([3]);
      expect(sorted(await nums(app, 'molecular has:code'))).toEqual([7]);
      // Only filters: the newest matching papers first, the undated last.
      expect(await nums(app, 'cat:cs.CL')).toEqual([5, 3, 10]); // same day: the later id first
      expect(await nums(app, 'cat:q-bio.BM')).toEqual([2, 10]);
      expect(await nums(app, 'has:code')).toEqual([7, 3]);
      expect(await nums(app, 'before:2024-06')).toEqual([4, 9]);
      // Odd input is read as text, never as SQL or tsquery syntax.
      for (const q of [
        "'; DROP TABLE papers; --",
        'a & b | !c <-> d:*',
        "o'brien:C",
        '\\',
        'the of and',
        '大语言模型',
        '"unbalanced',
      ]) {
        const r = await searchPapers(app, { q, mode: 'keyword', limit: 10, offset: 0 });
        expect(r.total).toBeGreaterThanOrEqual(r.hits.length);
      }
      expect((await db.kysely.selectFrom('papers').select('id').execute()).length).toBe(PAPERS.length);
    });

    it('applies the form filters, narrowing the query', async () => {
      expect(sorted(await nums(app, 'models', { filters: { category: 'cs.CL' } }))).toEqual([3, 5, 10]);
      expect(sorted(await nums(app, 'models', { filters: { org: 'Apple' } }))).toEqual([5]);
      expect(sorted(await nums(app, 'graph', { filters: { after: '2025-01-01', before: '2025-12-31' } }))).toEqual([
        1, 7,
      ]);
      expect(sorted(await nums(app, 'prediction', { filters: { hasCode: true } }))).toEqual([7]);
      expect(sorted(await nums(app, 'models', { filters: { authors: ['hinton'] } }))).toEqual([8]);
      expect(await nums(app, '', { filters: { category: 'math.CO' } })).toEqual([4]);
      // A LIKE wildcard in a form value is a plain character.
      expect(await nums(app, 'graph', { filters: { category: 'cs.%' } })).toEqual([]);
    });

    it('pages through the ranking', async () => {
      const all = await nums(app, 'models networks language', { limit: 100 });
      expect(all.length).toBeGreaterThan(4);
      const pages: number[] = [];
      for (let offset = 0; offset < all.length; offset += 2)
        pages.push(...(await nums(app, 'models networks language', { limit: 2, offset })));
      expect(pages).toEqual(all);
      const r = await searchPapers(app, { q: 'models networks language', mode: 'keyword', limit: 2, offset: 2 });
      expect(r.total).toBe(all.length);
    });

    it('finds papers inserted, changed and deleted after startup, without a restart', async () => {
      expect(await nums(app, 'quantum')).toEqual([]);
      await upsertPapers(db, [rec(11, 'Quantum error correction', 'Surface codes correct quantum errors.')]);
      expect(await nums(app, 'quantum')).toEqual([11]);
      await upsertPapers(db, [
        rec(4, 'Vertex colouring', 'Nothing else.', { version: 2, categories: ['math.CO'], publishedAt: '2024-01-10' }),
      ]);
      expect(sorted(await nums(app, 'graph'))).toEqual([1, 7]);
      expect(await nums(app, 'vertex')).toEqual([4]);
      await db.kysely.deleteFrom('papers').where('arxiv_id', '=', '2501.00001').execute();
      expect(await nums(app, 'graph')).toEqual([7]);
    });

    it('holds no keyword index in the process', async () => {
      await nums(app, 'graph');
      const info = await searchIndexInfo(app);
      expect(info.keywordSearch).toBe('database');
      expect(info.keywordBytes).toBe(0);
    });

    it('serves hybrid and semantic search and similar papers, kept current as papers arrive', async () => {
      const hybrid = await searchPapers(app, {
        q: 'graph',
        mode: 'hybrid',
        limit: 10,
        offset: 0,
        waitForSemantic: true,
      });
      expect(hybrid.mode).toBe('hybrid');
      expect(hybrid.notes).toEqual([]);
      expect(hybrid.hits.length).toBeGreaterThanOrEqual(3);
      expect(hybrid.hits[0].highlights?.title).toMatch(/<mark>Graph<\/mark>/);
      const top3 = await nums(app, 'graph', { mode: 'hybrid', limit: 3 });
      expect(sorted(top3)).toEqual([1, 4, 7]);
      // Filters reach the vector candidates through the database (one query for the candidates).
      expect(await nums(app, 'molecules cat:math.CO', { mode: 'semantic' })).toEqual([4]);
      expect(sorted(await nums(app, 'language -speech', { mode: 'hybrid' }))).not.toContain(8);
      expect(
        (await nums(app, 'protein "language models"', { mode: 'hybrid' })).every((n) => [3, 5, 8, 10].includes(n)),
      ).toBe(true);
      const one = (
        await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', '2501.00001').executeTakeFirstOrThrow()
      ).id;
      const similar = await similarPapers(app, one, 3);
      expect(similar.length).toBe(3);
      expect(similar.map((h) => h.paperId)).not.toContain(one);
      // A paper arriving after the vectors were loaded gets its vector on the next search.
      const { ids: added } = await upsertPapers(db, [
        rec(12, 'Molecular graphs of atoms', 'Graph networks over atoms and bonds of molecules.'),
      ]);
      expect((await similarPapers(app, added[0], 2)).length).toBe(2);
      expect((await db.kysely.selectFrom('paper_vectors').select('paper_id').execute()).length).toBe(PAPERS.length + 1);
      expect(await nums(app, 'molecular graphs', { mode: 'hybrid', limit: 1 })).toEqual([12]);
    });

    it('agrees with the in-process index on which papers match', async () => {
      const index = appFor(db, 'index');
      const queries = [
        'graph',
        'language models',
        'protein structure',
        '"language models"',
        'graph -colouring',
        'models -"image speech"',
        'networks author:lovelace',
        'author:"Yann LeCun"',
        'prediction cat:q-bio.BM',
        'models org:apple',
        'graph after:2025 before:2025-12-31',
        'transformers has:code',
        'cat:cs.CL',
        'hinton',
      ];
      for (const q of queries) {
        expect(sorted(await nums(app, q)), q).toEqual(sorted(await nums(index, q)));
      }
      expect((await searchIndexInfo(index)).keywordSearch).toBe('index');
    });
  },
);

describe('KEYWORD_SEARCH=database on SQLite', () => {
  it('is a configuration error that names the variable and the fix', () => {
    expect(() => loadConfig({ DATABASE_URL: 'sqlite:./data/x.db', KEYWORD_SEARCH: 'database' })).toThrow(
      /KEYWORD_SEARCH=database needs PostgreSQL.*Fix: unset KEYWORD_SEARCH \(or KEYWORD_SEARCH=index\), or set DATABASE_URL=postgres/,
    );
  });

  it('is refused by the search service too, should a configuration slip past', async () => {
    const db = await createTestDb('sqlite');
    try {
      const sqliteApp = testApp(db, { DATABASE_URL: db.target.kind === 'sqlite' ? db.target.file : '' });
      const app: App = { ...sqliteApp, config: { ...sqliteApp.config, keywordSearch: 'database' } };
      await expect(searchPapers(app, { q: 'graph', limit: 10, offset: 0 })).rejects.toThrow(
        /needs PostgreSQL.*KEYWORD_SEARCH=index/,
      );
    } finally {
      await db.drop();
    }
  });
});

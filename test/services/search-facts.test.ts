import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { emptyRecord, type PaperRecord } from '../../src/model/paper.js';
import { extractPendingFacts } from '../../src/services/facts.js';
import { searchPapers } from '../../src/services/search.js';
import { upsertPapers } from '../../src/store/paper-store.js';
import { testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

function rec(n: number, title: string, abstract: string): PaperRecord {
  return {
    ...emptyRecord(`2502.0000${n}`),
    title,
    abstract,
    authors: ['Ada Lovelace'],
    categories: ['cs.LG'],
    publishedAt: `2025-02-0${n}`,
  };
}

const PAPERS = [
  rec(1, 'Fast decoding on CPU', 'We present a decoder that achieves decoding speedups of up to 3.5x on CPU.'),
  rec(2, 'Speculative decoding on GPU', 'Our method yields a 1.6x speedup on GPU for language model decoding.'),
  rec(3, 'Compressing the KV cache', 'We compress the KV cache of language models and need 62% less KV cache memory.'),
  rec(4, 'A survey of decoding', 'We survey decoding methods for language models and discuss open problems.'),
  rec(5, 'Reasoning benchmark', 'Our language model reaches 85.3% accuracy on MMLU.'),
];

/** Paper numbers of a search's hits, in ascending order (the filters decide, not the ranking). */
async function nums(app: App, q: string): Promise<number[]> {
  const r = await searchPapers(app, { q, mode: 'keyword', limit: 20, offset: 0 });
  const ids = r.hits.map((h) => h.paperId);
  const rows = await app.db.kysely.selectFrom('papers').select(['id', 'arxiv_id']).execute();
  const byId = new Map(rows.map((x) => [x.id, Number(x.arxiv_id.slice(-1))]));
  return ids.map((id) => byId.get(id)!).sort();
}

describe.each(TEST_DIALECTS)('search by result facts on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    await upsertPapers(db, PAPERS);
  });
  afterEach(async () => {
    await db.drop();
  });

  const backends = dialect === 'postgres' ? (['index', 'database'] as const) : (['index'] as const);
  for (const backend of backends) {
    it(`filters by kind, value, metric and setting (KEYWORD_SEARCH=${backend})`, async () => {
      const url = db.target.kind === 'sqlite' ? db.target.file : db.target.url;
      const app = testApp(db, { DATABASE_URL: url, KEYWORD_SEARCH: backend });
      await extractPendingFacts(app);
      expect(await nums(app, 'has:results')).toEqual([1, 2, 3, 5]);
      expect(await nums(app, 'speedup:>2')).toEqual([1]);
      expect(await nums(app, 'speedup:>=1.5')).toEqual([1, 2]);
      expect(await nums(app, 'speedup:<2')).toEqual([2]);
      expect(await nums(app, 'kind:reduction')).toEqual([3]);
      expect(await nums(app, 'metric:"kv cache"')).toEqual([3]);
      expect(await nums(app, 'setting:gpu')).toEqual([2]);
      expect(await nums(app, 'score:>80 setting:mmlu')).toEqual([5]);
      // One fact meets every fact term: no speedup above 2 is on a GPU.
      expect(await nums(app, 'speedup:>2 setting:gpu')).toEqual([]);
      // Combined with words and other filters.
      expect(await nums(app, 'decoding has:results')).toEqual([1, 2]);
      expect(await nums(app, 'decoding speedup:>2 after:2025-02-01')).toEqual([1]);
      expect(await nums(app, 'language -survey kind:speedup')).toEqual([2]);
      const odd = await searchPapers(app, { q: 'speedup:lots', mode: 'keyword', limit: 5, offset: 0 });
      expect(odd.notes.join(' ')).toContain('speedup: needs a number');
    });
  }
});

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/seeded-random.js';
import { KeywordIndex, queryTerms } from './keyword-index.js';
import type { IndexDoc } from './segment.js';

function doc(paperId: number, title: string, abstract: string, over: Partial<IndexDoc> = {}): IndexDoc {
  return {
    paperId,
    title,
    abstract,
    authors: ['Ada Lovelace'],
    categories: ['cs.CL'],
    org: null,
    publishedAt: '2025-01-01',
    hasCode: false,
    ...over,
  };
}

const CORPUS: IndexDoc[] = [
  doc(1, 'Graph neural networks for molecules', 'We study message passing on molecular graphs.'),
  doc(2, 'A survey of transformers', 'Transformers and attention for language; graph transformers are mentioned once.'),
  doc(3, 'Neural machine translation', 'Sequence to sequence neural networks translate language.', {
    categories: ['cs.CL', 'cs.LG'],
    hasCode: true,
  }),
  doc(4, 'Protein folding with attention', 'Attention over residues; no graphs here.', {
    authors: ['Yann LeCun'],
    org: 'meta',
    publishedAt: '2024-03-05',
  }),
  doc(5, 'Graphs, graphs, graphs', 'Graph theory, graph colouring and graph minors.', { categories: ['math.CO'] }),
];

const ids = (
  index: KeywordIndex,
  words: string,
  opts: Parameters<KeywordIndex['search']>[0] extends infer Q ? Partial<Q> : never = {},
) => index.search({ terms: queryTerms(words.split(' ')), ...opts }, 10).hits.map((h) => h.paperId);

describe('KeywordIndex', () => {
  const index = KeywordIndex.build(CORPUS);

  it('ranks a small fixed corpus in the expected order', () => {
    // Title matches weigh double; paper 5 repeats "graph" most; paper 2 mentions it once in a long abstract.
    expect(ids(index, 'graph')).toEqual([5, 1, 4, 2]);
    expect(ids(index, 'neural networks')).toEqual([1, 3]);
    expect(ids(index, 'attention')).toEqual([4, 2]);
    expect(ids(index, 'lecun')).toEqual([4]);
    expect(ids(index, 'nothing-matches-this')).toEqual([]);
  });

  it('applies filters, required and excluded terms', () => {
    expect(ids(index, 'graph', { filters: { category: 'cs.CL' } })).toEqual([1, 4, 2]);
    expect(ids(index, 'graph', { filters: { category: 'cs.XX' } })).toEqual([]);
    expect(ids(index, 'graph', { excluded: ['transform'] })).toEqual([5, 1, 4]);
    expect(ids(index, 'neural', { filters: { hasCode: true } })).toEqual([3]);
    expect(ids(index, 'attention', { filters: { authors: ['yann lecun'] } })).toEqual([4]);
    expect(ids(index, 'attention', { filters: { org: 'Meta' } })).toEqual([4]);
    expect(ids(index, 'attention', { filters: { before: '2024-12-31' } })).toEqual([4]);
    expect(ids(index, 'attention', { filters: { after: '2025-01-01' } })).toEqual([2]);
    expect(ids(index, 'graph', { required: ['molecul'] })).toEqual([1]);
  });

  it('picks up upserts and deletes', () => {
    const idx = KeywordIndex.build(CORPUS);
    idx.upsert([doc(6, 'Graph graph graph graph', 'graph graph graph graph graph graph')]);
    expect(ids(idx, 'graph')[0]).toBe(6);
    idx.upsert([doc(5, 'Colouring', 'Nothing about the g-word.')]);
    expect(ids(idx, 'graph')).not.toContain(5);
    expect(ids(idx, 'colour')).toEqual([5]);
    idx.remove([6, 1]);
    expect(ids(idx, 'graph')).toEqual([4, 2]);
    expect(idx.size).toBe(4);
    expect(idx.has(1)).toBe(false);
  });

  it('prunes and accumulates to exactly the same top k as scoring every match', () => {
    // A random corpus with a skewed vocabulary, like real text: a few very common words, many rare.
    const rnd = seededRandom(42);
    const vocab = Array.from({ length: 300 }, (_, i) => `w${i}x`);
    const word = () => vocab[Math.floor(vocab.length * rnd() ** 3)];
    const docs = Array.from({ length: 3000 }, (_, i) =>
      doc(
        i + 1,
        Array.from({ length: 3 + Math.floor(rnd() * 8) }, word).join(' '),
        Array.from({ length: 20 + Math.floor(rnd() * 80) }, word).join(' '),
        { hasCode: rnd() < 0.3 },
      ),
    );
    const idx = KeywordIndex.build(docs);
    idx.upsert(docs.slice(0, 50).map((d) => ({ ...d, title: `${d.title} w0x` })));
    idx.remove([100, 200, 300]);
    let prunedSome = 0;
    let accumulatedSome = 0;
    for (let q = 0; q < 60; q++) {
      const words = Array.from({ length: 1 + (q % 3) }, word);
      const query = { terms: queryTerms(words), filters: q % 4 === 0 ? { hasCode: true } : undefined };
      const full = idx.search(query, 10, { strategy: 'exhaustive' });
      expect(full.totalIsEstimate).toBe(false);
      const pruned = idx.search(query, 10, { strategy: 'prune' });
      expect(pruned.hits).toEqual(full.hits);
      if (pruned.totalIsEstimate) prunedSome++;
      const accumulated = idx.search(query, 10, { strategy: 'accumulate' });
      expect(accumulated).toEqual(full);
      const auto = idx.search(query, 10);
      expect(auto.hits).toEqual(full.hits);
      if (!auto.totalIsEstimate && pruned.totalIsEstimate) accumulatedSome++;
    }
    expect(prunedSome).toBeGreaterThan(10);
    // Queries of common words took the accumulating path and so counted their matches exactly.
    expect(accumulatedSome).toBeGreaterThan(5);
  });
  it('answers after many small changes exactly as after one large one, with few delta segments', async () => {
    const rnd = seededRandom(7);
    const vocab = Array.from({ length: 200 }, (_, i) => `v${i}y`);
    const word = () => vocab[Math.floor(vocab.length * rnd() ** 3)];
    const text = (n: number) => Array.from({ length: n }, word).join(' ');
    const docs = Array.from({ length: 3000 }, (_, i) => doc(i + 1, text(6), text(40)));
    const main = docs.slice(0, 2000);
    // An import's worth of new papers, and edits to some old ones, arriving 20 at a time.
    const changes = [...docs.slice(2000), ...main.slice(0, 200).map((d) => ({ ...d, title: text(6) }))];
    const once = KeywordIndex.build(main);
    once.upsert(changes);
    once.remove([5, 2500]);
    const tiered = KeywordIndex.build(main);
    let pauses = 0;
    for (let i = 0; i < changes.length; i += 20) {
      if (i === 600) tiered.remove([5, 2500]);
      await tiered.upsertSliced(
        changes.slice(i, i + 20).filter((d) => d.paperId !== 5 && d.paperId !== 2500),
        async () => {
          pauses++;
        },
      );
    }
    expect(tiered.size).toBe(once.size);
    // Merged as it went: about log2(1200 / 20) segments, not one per change.
    expect(tiered.deltaSegments).toBeGreaterThan(1);
    expect(tiered.deltaSegments).toBeLessThanOrEqual(8);
    // The merges built segments larger than one slice, handing the event loop back between slices.
    expect(pauses).toBeGreaterThan(0);
    for (let q = 0; q < 40; q++) {
      const query = { terms: queryTerms(Array.from({ length: 1 + (q % 3) }, word)) };
      expect(tiered.search(query, 10)).toEqual(once.search(query, 10));
    }
    expect(ids(tiered, 'v0y', { filters: { before: '2030-01-01' } }).length).toBe(10);
    expect(tiered.has(5)).toBe(false);
    expect(tiered.has(2999)).toBe(true);
  });

  it('breaks ties toward the newest paper on every path', () => {
    // Every paper scores the same for "tiebreak": the top 10 are the 10 highest ids, wherever they are.
    const docs = Array.from({ length: 500 }, (_, i) =>
      doc(i + 1, 'tiebreak words here', 'an abstract of equal length'),
    );
    const idx = KeywordIndex.build(docs);
    idx.upsert([doc(3, 'tiebreak words here', 'an abstract of equal length')]);
    idx.remove([499]);
    const expected = [500, 498, 497, 496, 495, 494, 493, 492, 491, 490];
    for (const strategy of ['auto', 'prune', 'accumulate', 'exhaustive'] as const) {
      const r = idx.search({ terms: queryTerms(['tiebreak']) }, 10, { strategy });
      expect(r.hits.map((h) => h.paperId)).toEqual(expected);
      if (strategy === 'accumulate' || strategy === 'exhaustive') expect(r.total).toBe(499);
    }
  });
});

describe('KeywordIndex snapshots', () => {
  it('round-trips to the same answers', () => {
    const index = KeywordIndex.build(CORPUS);
    const loaded = KeywordIndex.fromSnapshot(index.toSnapshot({ watermark: 'w' }))!;
    expect(loaded.meta).toEqual({ watermark: 'w' });
    for (const q of ['graph', 'neural networks', 'attention', 'lecun'])
      expect(ids(loaded.index, q)).toEqual(ids(index, q));
    expect(ids(loaded.index, 'attention', { filters: { org: 'meta' } })).toEqual([4]);
    loaded.index.upsert([doc(9, 'Graph graph graph', 'graph graph graph graph graph')]);
    expect(ids(loaded.index, 'graph')[0]).toBe(9);
  });
  it('rejects bytes that are not a snapshot', () => {
    expect(KeywordIndex.fromSnapshot(Buffer.from('not a snapshot at all'))).toBeNull();
    expect(KeywordIndex.fromSnapshot(Buffer.alloc(2))).toBeNull();
  });
});

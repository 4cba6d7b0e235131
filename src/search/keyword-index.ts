import type { KeywordRanker } from './keyword-ranker.js';
import type { QueryFilters } from './query.js';
import {
  authorWords,
  type Bm25Stats,
  bm25Idf,
  Dictionaries,
  docOf,
  type IndexDoc,
  type Segment,
  SegmentBuilder,
  segmentBytes,
} from './segment.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot.js';
import { tokenize } from './tokenize.js';
import { acceptsDoc, compileFilter, type SearchStrategy, type SegmentQuery, searchSegment, TopK } from './top-k.js';

/**
 * The in-process keyword index: a large main segment built in bulk, plus a small delta segment
 * of papers added or changed since, rebuilt on each change. Deleting or replacing a paper marks
 * its main copy dead. When the delta grows past MAX_DELTA_DOCS the owner rebuilds the whole index.
 *
 * @example
 * const index = KeywordIndex.build(docs);
 * index.search({ terms: new Map([['transform', 1]]) }, 10).hits // [{ paperId, score }, …]
 */

/** Past this many changed papers, re-scoring the delta on every change costs more than a rebuild saves. */
export const MAX_DELTA_DOCS = 20_000;

export interface KeywordQuery {
  /** Index terms (tokenised) → weight (how many times the query says it). */
  terms: Map<string, number>;
  /** Terms every result must contain. */
  required?: string[];
  /** Terms no result may contain. */
  excluded?: string[];
  filters?: Omit<QueryFilters, 'authors'> & { authors?: string[] };
  /**
   * The query's words, phrases and excluded words as typed, for a backend that tokenises text its
   * own way (PostgreSQL's parser and stemmer); the in-process index reads the terms above.
   */
  text?: { words: string[]; phrases: string[]; excluded: string[] };
}

export interface KeywordHit {
  paperId: number;
  /** BM25F score (impact units converted back to BM25 points). */
  score: number;
}

export interface KeywordResult {
  hits: KeywordHit[];
  total: number;
  /** True when pruning skipped documents, so `total` is an estimate. */
  totalIsEstimate: boolean;
}

/** Words of a query → weighted index terms. */
export function queryTerms(words: string[]): Map<string, number> {
  const terms = new Map<string, number>();
  for (const w of words) for (const t of tokenize(w)) terms.set(t, (terms.get(t) ?? 0) + 1);
  return terms;
}

function dayOf(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  return Number(iso.slice(0, 10).replace(/-/g, ''));
}

export class KeywordIndex implements KeywordRanker {
  readonly dict: Dictionaries;
  /** Phrases are only required word by word here; the search service checks their order in the text. */
  readonly checksPhrases = false;
  private main: Segment;
  private mainStats: Bm25Stats;
  private deltaDocs = new Map<number, IndexDoc>();
  private delta: Segment | null = null;

  private constructor(build: (dict: Dictionaries) => { seg: Segment; stats: Bm25Stats }, dict = new Dictionaries()) {
    this.dict = dict;
    const { seg, stats } = build(this.dict);
    this.main = seg;
    this.mainStats = stats;
  }

  /** Build from papers, ideally in ascending paper id (then lookups are binary searches). */
  static build(docs: Iterable<IndexDoc>): KeywordIndex {
    return new KeywordIndex((dict) => {
      const b = new SegmentBuilder(dict);
      for (const d of docs) b.add(d);
      const stats = b.ownStats();
      return { seg: b.finish(stats), stats };
    });
  }

  /** Build from pages of papers read from a store, without holding them all at once. */
  static async buildFromPages(pages: AsyncIterable<IndexDoc[]>): Promise<KeywordIndex> {
    const b = new SegmentBuilder(new Dictionaries());
    for await (const page of pages) for (const d of page) b.add(d);
    return new KeywordIndex(() => {
      const stats = b.ownStats();
      return { seg: b.finish(stats), stats };
    }, b.dict);
  }

  /** The main segment as bytes (see snapshot.ts); papers in the delta are not included. */
  toSnapshot(meta: Record<string, unknown>): Buffer {
    return encodeSnapshot(this.dict, this.main, this.mainStats, meta);
  }

  /** An index from snapshot bytes, or null when they are not a valid snapshot. */
  static fromSnapshot(buf: Buffer): { index: KeywordIndex; meta: Record<string, unknown> } | null {
    const s = decodeSnapshot(buf);
    if (!s) return null;
    return { index: new KeywordIndex(() => ({ seg: s.seg, stats: s.stats }), s.dict), meta: s.meta };
  }

  /** Papers the index answers for (live ones). */
  get size(): number {
    let n = this.deltaDocs.size;
    for (let d = 0; d < this.main.numDocs; d++) n += this.main.alive[d];
    return n;
  }

  get deltaSize(): number {
    return this.deltaDocs.size;
  }

  bytes(): number {
    return segmentBytes(this.main) + (this.delta ? segmentBytes(this.delta) : 0);
  }

  /** Add or replace papers. */
  upsert(docs: IndexDoc[]): void {
    if (docs.length === 0) return;
    for (const doc of docs) {
      const d = docOf(this.main, doc.paperId);
      if (d >= 0) this.main.alive[d] = 0;
      this.deltaDocs.set(doc.paperId, doc);
    }
    this.rebuildDelta();
  }

  remove(paperIds: number[]): void {
    let deltaChanged = false;
    for (const id of paperIds) {
      const d = docOf(this.main, id);
      if (d >= 0) this.main.alive[d] = 0;
      if (this.deltaDocs.delete(id)) deltaChanged = true;
    }
    if (deltaChanged) this.rebuildDelta();
  }

  /** Paper ids the index holds (live). */
  *paperIds(): Generator<number> {
    for (let d = 0; d < this.main.numDocs; d++) if (this.main.alive[d]) yield this.main.paperIds[d];
    yield* this.deltaDocs.keys();
  }

  has(paperId: number): boolean {
    if (this.deltaDocs.has(paperId)) return true;
    const d = docOf(this.main, paperId);
    return d >= 0 && this.main.alive[d] === 1;
  }

  private rebuildDelta(): void {
    if (this.deltaDocs.size === 0) {
      this.delta = null;
      return;
    }
    const b = new SegmentBuilder(this.dict);
    for (const doc of this.deltaDocs.values()) b.add(doc);
    const own = b.ownStats();
    const main = this.mainStats;
    const useMain = main.numDocs > 0;
    // Score the delta with the main segment's statistics so that scores from both add up.
    const stats: Bm25Stats = {
      numDocs: main.numDocs + own.numDocs,
      avgTitle: useMain ? main.avgTitle : own.avgTitle,
      avgAbstract: useMain ? main.avgAbstract : own.avgAbstract,
      avgAuthors: useMain ? main.avgAuthors : own.avgAuthors,
      df: (t) => main.df(t) + own.df(t),
      // Words the main segment knows keep its idf exactly, so a paper scores the same in either segment.
      idf: (t) => (main.df(t) > 0 ? main.idf(t) : bm25Idf(own.df(t), main.numDocs + own.numDocs)),
      scale: useMain ? main.scale : own.scale,
    };
    this.delta = b.finish(stats);
  }

  private compile(q: KeywordQuery): SegmentQuery {
    const terms: SegmentQuery['terms'] = [];
    for (const [t, w] of q.terms) {
      const id = this.dict.terms.get(t);
      if (id !== undefined) terms.push({ id, weight: w });
    }
    const f = q.filters ?? {};
    const aw: number[] = [];
    for (const name of f.authors ?? []) for (const w of authorWords(name)) aw.push(this.dict.authorWords.get(w) ?? -1);
    return {
      terms,
      required: (q.required ?? []).map((t) => this.dict.terms.get(t) ?? -1),
      excluded: (q.excluded ?? []).map((t) => this.dict.terms.get(t)).filter((t): t is number => t !== undefined),
      authorWords: aw,
      category: f.category !== undefined ? (this.dict.categories.get(f.category.toLowerCase()) ?? -1) : undefined,
      org: f.org !== undefined ? (this.dict.orgs.get(f.org.toLowerCase()) ?? -1) : undefined,
      dayFrom: dayOf(f.after),
      dayTo: dayOf(f.before),
      hasCode: f.hasCode,
      paperIds: f.paperIds,
    };
  }

  /**
   * Whether a paper passes the filters, required and excluded terms of `q` (random access, for
   * candidates that come from elsewhere, e.g. the vector index).
   */
  matches(paperId: number, q: KeywordQuery): boolean {
    return this.acceptor(q)(paperId);
  }

  /** `matches` for many papers: the query is compiled once (candidate lists are not needed in memory). */
  acceptor(q: KeywordQuery): (paperId: number) => boolean {
    const sq = this.compile({ ...q, terms: new Map() });
    return (paperId) => {
      for (const seg of [this.main, this.delta]) {
        if (!seg) continue;
        const d = docOf(seg, paperId);
        if (d < 0 || seg.alive[d] === 0) continue;
        return acceptsDoc(seg, sq, d);
      }
      return false;
    };
  }

  /** Papers passing the filters of `q`, newest first (for queries with no words). */
  browse(q: KeywordQuery, k: number, offset = 0): KeywordResult {
    const sq = this.compile({ ...q, terms: new Map() });
    // A heap on the day (then the id) keeps this O(n log k) at a million papers, not a full sort.
    const heap = new TopK(k + offset);
    let total = 0;
    for (const seg of [this.main, this.delta]) {
      if (!seg) continue;
      const f = compileFilter(seg, sq);
      if (f === 'none') continue;
      for (let d = 0; d < seg.numDocs; d++) {
        if (seg.alive[d] === 1 && (f === null || f(d))) {
          total++;
          heap.offer(seg.day[d], seg.paperIds[d]);
        }
      }
    }
    const hits = heap
      .sorted()
      .slice(offset)
      .map((h) => ({ paperId: h.id, score: 0 }));
    return { hits, total, totalIsEstimate: false };
  }

  /** The k best papers for `q`. A strategy other than `auto` is for tests and measurements. */
  search(q: KeywordQuery, k: number, opts: { strategy?: SearchStrategy } = {}): KeywordResult {
    const sq = this.compile(q);
    if (sq.required.includes(-1)) return { hits: [], total: 0, totalIsEstimate: false };
    const heap = new TopK(k);
    const a = searchSegment(this.main, sq, heap, opts.strategy);
    const b = this.delta ? searchSegment(this.delta, sq, heap, opts.strategy) : null;
    const scale = this.mainStats.scale;
    const hits = heap.sorted().map((h) => ({ paperId: h.id, score: h.score / scale }));
    const exhaustive = a.exhaustive && (b?.exhaustive ?? true);
    let total = a.passed + (b?.passed ?? 0);
    if (!exhaustive) {
      // Pruning skipped documents: estimate from the longest list and the share that passed the filters.
      const evaluated = a.evaluated + (b?.evaluated ?? 0);
      const share = evaluated > 0 ? total / evaluated : 1;
      total = Math.max(total, Math.round((a.maxDf + (b?.maxDf ?? 0)) * share));
    }
    return { hits, total, totalIsEstimate: !exhaustive };
  }
}

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
 * The in-process keyword index: a large main segment built in bulk, plus delta segments of papers
 * added or changed since. Deleting or replacing a paper marks its older copy dead.
 *
 * The deltas are tiered (a log-structured merge): each change becomes a small segment of its own,
 * and the newest segment is merged with the one before it once it holds at least 1/MERGE_RATIO as
 * many live papers (words the main segment lacks then get an idf from their own segment). A paper is re-scored O(log n) times while n papers arrive, instead of the
 * whole delta being rebuilt on every change: a 40,000-record import beside traffic spent 62 s of
 * the web process's event loop rebuilding one delta segment (issue #15's profile). Building a
 * segment can be spread over event-loop turns (`upsertSliced`), so no merge stalls requests.
 *
 * @example
 * const index = KeywordIndex.build(docs);
 * index.search({ terms: new Map([['transform', 1]]) }, 10).hits // [{ paperId, score }, …]
 */

/**
 * Past this many changed papers (or half the main segment, if larger) the owner rebuilds the whole
 * index, so that collection statistics come from all papers again (delta segments score with the
 * main segment's).
 */
export const MAX_DELTA_DOCS = 20_000;
/** A delta segment is merged into the one before it once it is at least 1/MERGE_RATIO its size. */
const MERGE_RATIO = 2;
/**
 * Papers added to a segment builder between two of the owner's pauses when building sliced: ~0.2
 * ms a paper, so a step of a few ms (500 held the event loop 100–340 ms a step beside traffic).
 * The owner's pause decides when the loop actually gets a turn (lib/turns.ts, Pacer).
 */
const BUILD_SLICE_DOCS = 16;

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
  /** The live copy of every paper held in a delta segment. */
  private deltaDocs = new Map<number, IndexDoc>();
  /** Oldest first; each built from papers in ascending id (so lookups are binary searches). */
  private deltas: Segment[] = [];

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
  static async buildFromPages(pages: AsyncIterable<IndexDoc[]>, pause?: () => Promise<void>): Promise<KeywordIndex> {
    const b = new SegmentBuilder(new Dictionaries());
    for await (const page of pages)
      for (let i = 0; i < page.length; i += BUILD_SLICE_DOCS) {
        for (const d of page.slice(i, i + BUILD_SLICE_DOCS)) b.add(d);
        if (pause) await pause();
      }
    // Scoring a million papers takes seconds: in steps, with `pause` between them when given.
    const steps = (function* () {
      const stats = yield* b.ownStatsSteps();
      return { seg: yield* b.finishSteps(stats), stats };
    })();
    let built: { seg: Segment; stats: Bm25Stats } | undefined;
    for (;;) {
      const r = steps.next();
      if (r.done) {
        built = r.value;
        break;
      }
      if (pause) await pause();
    }
    const done = built;
    return new KeywordIndex(() => done, b.dict);
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

  /** Papers in the main segment, dead ones included (what a rebuild threshold compares against). */
  get mainDocs(): number {
    return this.main.numDocs;
  }

  /** How many delta segments there are (about log2 of the delta's size). */
  get deltaSegments(): number {
    return this.deltas.length;
  }

  bytes(): number {
    let b = segmentBytes(this.main);
    for (const seg of this.deltas) b += segmentBytes(seg);
    return b;
  }

  /** Add or replace papers, all at once. */
  upsert(docs: IndexDoc[]): void {
    const steps = this.upsertSteps(docs);
    while (!steps.next().done);
  }

  /**
   * Add or replace papers, awaiting `pause` between slices of BUILD_SLICE_DOCS papers (a merge
   * included), so a large change never holds the event loop for long. Searches in between see the
   * index as it was before this call. Hazard: one change at a time; the owner serialises them.
   */
  async upsertSliced(docs: IndexDoc[], pause: () => Promise<void>): Promise<void> {
    const steps = this.upsertSteps(docs);
    while (!steps.next().done) await pause();
  }

  private *upsertSteps(docs: IndexDoc[]): Generator<void, void> {
    if (docs.length === 0) return;
    const fresh = new Map<number, IndexDoc>();
    for (const doc of docs) fresh.set(doc.paperId, doc);
    // Built aside first, so searches between the slices see the old copies, all alive.
    const seg = yield* this.buildDelta([...fresh.values()]);
    for (const doc of fresh.values()) {
      this.markDead(doc.paperId);
      this.deltaDocs.set(doc.paperId, doc);
    }
    this.deltas.push(seg);
    while (this.deltas.length >= 2) {
      const n = this.deltas.length;
      const older = this.deltas[n - 2];
      const newer = this.deltas[n - 1];
      // With no main segment every delta scores with its own statistics, which only agree when
      // there is one delta: keep one (a small site; a large one rebuilds past MAX_DELTA_DOCS).
      if (this.mainStats.numDocs > 0 && liveDocs(newer) * MERGE_RATIO < liveDocs(older)) break;
      const ids = [...liveIds(older), ...liveIds(newer)];
      const merged = yield* this.buildDelta(ids.map((id) => this.deltaDocs.get(id)!));
      // Nothing else changed the two meanwhile (one change at a time): swap them for the merge.
      this.deltas.splice(n - 2, 2, merged);
    }
  }

  remove(paperIds: number[]): void {
    // Dead copies are skipped by every search and dropped at the segment's next merge.
    for (const id of paperIds) {
      this.markDead(id);
      this.deltaDocs.delete(id);
    }
  }

  private markDead(paperId: number): void {
    for (const seg of [this.main, ...this.deltas]) {
      const d = docOf(seg, paperId);
      if (d >= 0) seg.alive[d] = 0;
    }
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

  /** A delta segment of these papers (in ascending id), scored with the main segment's statistics. */
  private *buildDelta(docs: IndexDoc[]): Generator<void, Segment> {
    const sorted = [...docs].sort((a, b) => a.paperId - b.paperId);
    const b = new SegmentBuilder(this.dict);
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && i % BUILD_SLICE_DOCS === 0) yield;
      b.add(sorted[i]);
    }
    const own = yield* b.ownStatsSteps();
    const main = this.mainStats;
    const useMain = main.numDocs > 0;
    // Score the delta with the main segment's statistics so that scores from every segment add up.
    const stats: Bm25Stats = {
      numDocs: main.numDocs + own.numDocs,
      avgTitle: useMain ? main.avgTitle : own.avgTitle,
      avgAbstract: useMain ? main.avgAbstract : own.avgAbstract,
      avgAuthors: useMain ? main.avgAuthors : own.avgAuthors,
      df: (t) => main.df(t) + own.df(t),
      // Words the main segment knows keep its idf exactly, so a paper scores the same in any segment.
      idf: (t) => (main.df(t) > 0 ? main.idf(t) : bm25Idf(own.df(t), main.numDocs + own.numDocs)),
      scale: useMain ? main.scale : own.scale,
    };
    return yield* b.finishSteps(stats);
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
      for (const seg of [this.main, ...this.deltas]) {
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
    for (const seg of [this.main, ...this.deltas]) {
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
    let exhaustive = true;
    let passed = 0;
    let evaluated = 0;
    let maxDf = 0;
    for (const seg of [this.main, ...this.deltas]) {
      const r = searchSegment(seg, sq, heap, opts.strategy);
      exhaustive &&= r.exhaustive;
      passed += r.passed;
      evaluated += r.evaluated;
      maxDf += r.maxDf;
    }
    const scale = this.mainStats.scale;
    const hits = heap.sorted().map((h) => ({ paperId: h.id, score: h.score / scale }));
    let total = passed;
    if (!exhaustive) {
      // Pruning skipped documents: estimate from the longest lists and the share that passed the filters.
      const share = evaluated > 0 ? total / evaluated : 1;
      total = Math.max(total, Math.round(maxDf * share));
    }
    return { hits, total, totalIsEstimate: !exhaustive };
  }
}

function liveDocs(seg: Segment): number {
  let n = 0;
  for (let d = 0; d < seg.numDocs; d++) n += seg.alive[d];
  return n;
}

function liveIds(seg: Segment): number[] {
  const out: number[] = [];
  for (let d = 0; d < seg.numDocs; d++) if (seg.alive[d]) out.push(seg.paperIds[d]);
  return out;
}

import { BLOCK_SIZE, IMPACT_MAX, type Segment } from './segment.js';

/**
 * Top-k retrieval over one segment: MaxScore with block-max skipping (Turtle & Flood 1995;
 * Ding & Suel 2011). Exact: it returns the same top k as scoring every match, but it stops looking
 * at a document as soon as its best possible score cannot beat the k-th best so far, and skips
 * whole blocks of 64 postings whose block maxima cannot. When every word of a query is common,
 * block maxima are all alike and pruning skips little; such queries add up every posting term at
 * a time instead (`accumulate`), which is exact too. Either way the most common words (millions
 * of postings) take a few milliseconds.
 */

/** A compiled query for one segment: term ids from the index's shared dictionary. */
export interface SegmentQuery {
  terms: Array<{ id: number; weight: number }>;
  /** Terms every result must contain (the words of exact phrases). */
  required: number[];
  /** Terms no result may contain. */
  excluded: number[];
  /** Author words every result's author list must contain; -1 for a word no paper has. */
  authorWords: number[];
  /** Category id; -1 for a category no paper has. */
  category?: number;
  /** Organisation id; -1 for an organisation no paper has. */
  org?: number;
  /** YYYYMMDD inclusive bounds. */
  dayFrom?: number;
  dayTo?: number;
  hasCode?: boolean;
  /** Only these papers (conditions resolved outside the index: result facts). */
  paperIds?: ReadonlySet<number>;
}

/** The k best (score, paperId) pairs; ties go to the higher paper id (the newer paper). */
export class TopK {
  readonly scores: Float64Array;
  readonly ids: Int32Array;
  size = 0;
  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
    this.ids = new Int32Array(Math.max(1, k));
  }
  get full(): boolean {
    return this.size >= this.k;
  }
  /** Score a document must reach to have a chance (ties are then decided by id). */
  get threshold(): number {
    return this.size >= this.k ? this.scores[0] : -Infinity;
  }
  private worse(i: number, j: number): boolean {
    return this.scores[i] < this.scores[j] || (this.scores[i] === this.scores[j] && this.ids[i] < this.ids[j]);
  }
  private swap(i: number, j: number): void {
    const s = this.scores[i];
    this.scores[i] = this.scores[j];
    this.scores[j] = s;
    const d = this.ids[i];
    this.ids[i] = this.ids[j];
    this.ids[j] = d;
  }
  /** Offer a result; true when it entered. */
  offer(score: number, id: number): boolean {
    if (this.k <= 0) return false;
    if (this.size < this.k) {
      let i = this.size++;
      this.scores[i] = score;
      this.ids[i] = id;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return true;
    }
    if (score < this.scores[0] || (score === this.scores[0] && id <= this.ids[0])) return false;
    this.scores[0] = score;
    this.ids[0] = id;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return true;
  }
  /** Best first. */
  sorted(): Array<{ id: number; score: number }> {
    const out: Array<{ id: number; score: number }> = [];
    for (let i = 0; i < this.size; i++) out.push({ id: this.ids[i], score: this.scores[i] });
    return out.sort((a, b) => b.score - a.score || b.id - a.id);
  }
}

/** First index in [pos, end) whose document is ≥ target (galloping, then binary search). */
function advance(docs: Uint32Array, pos: number, end: number, target: number): number {
  if (pos >= end || docs[pos] >= target) return pos;
  let step = 1;
  let lo = pos;
  let hi = pos + 1;
  while (hi < end && docs[hi] < target) {
    lo = hi;
    step *= 2;
    hi = pos + step;
  }
  if (hi > end) hi = end;
  // docs[lo] < target; answer in (lo, hi]
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid] < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** A moving membership test over a sorted list; ask with non-decreasing documents. */
class Member {
  private pos: number;
  constructor(
    private docs: Uint32Array,
    start: number,
    private end: number,
  ) {
    this.pos = start;
  }
  has(d: number): boolean {
    this.pos = advance(this.docs, this.pos, this.end, d);
    return this.pos < this.end && this.docs[this.pos] === d;
  }
}

function termRange(seg: Segment, t: number): [number, number] {
  if (t < 0 || t + 1 >= seg.termStart.length) return [0, 0];
  return [seg.termStart[t], seg.termStart[t + 1]];
}

/** The filter as a predicate on ascending documents; 'none' when no document can pass. */
export function compileFilter(seg: Segment, q: SegmentQuery): ((d: number) => boolean) | 'none' | null {
  const must: Member[] = [];
  const mustNot: Member[] = [];
  for (const t of q.required) {
    const [s, e] = termRange(seg, t);
    if (s === e) return 'none';
    must.push(new Member(seg.postDocs, s, e));
  }
  for (const a of q.authorWords) {
    if (a < 0 || a + 1 >= seg.authorStart.length) return 'none';
    const s = seg.authorStart[a];
    const e = seg.authorStart[a + 1];
    if (s === e) return 'none';
    must.push(new Member(seg.authorDocs, s, e));
  }
  for (const t of q.excluded) {
    const [s, e] = termRange(seg, t);
    if (s < e) mustNot.push(new Member(seg.postDocs, s, e));
  }
  if (q.category === -1 || q.org === -1) return 'none';
  const { category, org, hasCode, paperIds } = q;
  if (paperIds && paperIds.size === 0) return 'none';
  const dayFrom = q.dayFrom ?? 0;
  const dayTo = q.dayTo ?? 99999999;
  const dated = q.dayFrom !== undefined || q.dayTo !== undefined;
  if (
    must.length === 0 &&
    mustNot.length === 0 &&
    category === undefined &&
    org === undefined &&
    !hasCode &&
    !dated &&
    !paperIds
  )
    return null;
  return (d) => {
    if (hasCode && seg.hasCode[d] === 0) return false;
    if (paperIds && !paperIds.has(seg.paperIds[d])) return false;
    if (org !== undefined && seg.orgId[d] !== org) return false;
    if (dated) {
      const day = seg.day[d];
      if (day === 0 || day < dayFrom || day > dayTo) return false;
    }
    if (category !== undefined) {
      let found = false;
      for (let i = seg.catStart[d]; i < seg.catStart[d + 1]; i++) if (seg.catIds[i] === category) found = true;
      if (!found) return false;
    }
    // Every membership cursor must see every candidate in order, so none short-circuits the others.
    let ok = true;
    for (const m of must) if (!m.has(d)) ok = false;
    for (const m of mustNot) if (m.has(d)) ok = false;
    return ok;
  };
}

/** Random-access form of the filter: one document, in any order. */
export function acceptsDoc(seg: Segment, q: SegmentQuery, d: number): boolean {
  const f = compileFilter(seg, q);
  if (f === 'none') return false;
  return f === null || f(d);
}

interface SegmentSearchStats {
  /** Documents scored (at least partly). */
  evaluated: number;
  /** Of those, how many passed the filters and were alive. */
  passed: number;
  /** False when pruning skipped documents, so `passed` undercounts the matches. */
  exhaustive: boolean;
  /** Largest document frequency among the query's terms (a lower bound on the matches before filters). */
  maxDf: number;
}

/**
 * How a segment is searched. `auto` accumulates when the query's postings are many (see
 * ACCUMULATE_MIN_POSTINGS_SHARE) and prunes otherwise; `exhaustive` scores every match document
 * at a time, the plain reference the tests and the benchmark compare the other two against.
 */
export type SearchStrategy = 'auto' | 'prune' | 'accumulate' | 'exhaustive';

/**
 * `auto` accumulates when the query's postings number at least this share of the segment's
 * documents. Accumulating costs a pass over every document whatever the query, so pruning is kept
 * for queries with fewer postings: even scoring all of them would take no longer than that pass.
 * Past it, pruning's worst case grows with the postings: when every word is common the block
 * maxima are all alike, pruning skips little and its bookkeeping costs more than adding every
 * posting into an array (at 1M, pruning only had a common-word p99 of 64–90 ms, accumulation
 * 10–16 ms; bench:search, BENCHMARKS.md).
 */
const ACCUMULATE_MIN_POSTINGS_SHARE = 0.05;

interface PostingList {
  pos: number;
  end: number;
  start: number;
  block0: number;
  w: number;
  ub: number;
}

/** Offer every document of `seg` that could be in the top k of `q` to `heap`. */
export function searchSegment(
  seg: Segment,
  q: SegmentQuery,
  heap: TopK,
  strategy: SearchStrategy = 'auto',
): SegmentSearchStats {
  const stats: SegmentSearchStats = { evaluated: 0, passed: 0, exhaustive: true, maxDf: 0 };
  const filter = compileFilter(seg, q);
  if (filter === 'none') return stats;
  const lists: PostingList[] = [];
  let postings = 0;
  for (const { id, weight } of q.terms) {
    const [s, e] = termRange(seg, id);
    if (s === e || weight <= 0) continue;
    stats.maxDf = Math.max(stats.maxDf, e - s);
    postings += e - s;
    let max = 0;
    for (let b = seg.blockStart[id]; b < seg.blockStart[id + 1]; b++) if (seg.blockMax[b] > max) max = seg.blockMax[b];
    lists.push({ pos: s, end: e, start: s, block0: seg.blockStart[id], w: weight, ub: weight * max });
  }
  if (lists.length === 0) return stats;
  const many = postings >= seg.numDocs * ACCUMULATE_MIN_POSTINGS_SHARE;
  if ((strategy === 'accumulate' || (strategy === 'auto' && many)) && canAccumulate(lists)) {
    accumulate(seg, lists, filter, heap, stats);
    return stats;
  }
  const prune = strategy !== 'exhaustive';
  lists.sort((a, b) => a.ub - b.ub);
  const m = lists.length;
  // prefix[i] = the most the lists 0..i can add together.
  const prefix = new Float64Array(m);
  for (let i = 0; i < m; i++) prefix[i] = (i > 0 ? prefix[i - 1] : 0) + lists[i].ub;
  const docs = seg.postDocs;
  const imps = seg.postImpacts;
  const alive = seg.alive;
  const paperIds = seg.paperIds;
  let theta = prune ? heap.threshold : -Infinity;
  // Lists before `fe` are non-essential: together they cannot lift a document into the top k.
  let fe = 0;
  while (fe < m && prefix[fe] < theta) fe++;

  for (;;) {
    if (fe >= m) {
      stats.exhaustive = false;
      break;
    }
    let d = 0xffffffff;
    for (let i = fe; i < m; i++) {
      const L = lists[i];
      if (L.pos < L.end && docs[L.pos] < d) d = docs[L.pos];
    }
    if (d === 0xffffffff) break;
    const rest = fe > 0 ? prefix[fe - 1] : 0;

    if (prune && theta > -Infinity) {
      // Block-max: bound every document up to the nearest block end among the essential lists.
      let bound = rest;
      let minLast = 0xffffffff;
      for (let i = fe; i < m; i++) {
        const L = lists[i];
        if (L.pos >= L.end) continue;
        const b = L.block0 + (((L.pos - L.start) / BLOCK_SIZE) | 0);
        bound += L.w * seg.blockMax[b];
        if (seg.blockLast[b] < minLast) minLast = seg.blockLast[b];
      }
      if (bound < theta) {
        stats.exhaustive = false;
        for (let i = fe; i < m; i++) {
          const L = lists[i];
          while (L.pos < L.end && docs[L.pos] <= minLast) L.pos++;
        }
        continue;
      }
    }

    let score = 0;
    for (let i = fe; i < m; i++) {
      const L = lists[i];
      if (L.pos < L.end && docs[L.pos] === d) {
        score += L.w * imps[L.pos];
        L.pos++;
      }
    }
    stats.evaluated++;
    if (alive[d] === 0) continue;
    if (score + rest < theta) {
      stats.exhaustive = false;
      continue;
    }
    if (filter !== null && !filter(d)) continue;
    stats.passed++;
    let pruned = false;
    for (let i = fe - 1; i >= 0; i--) {
      if (score + prefix[i] < theta) {
        pruned = true;
        break;
      }
      const L = lists[i];
      L.pos = advance(docs, L.pos, L.end, d);
      if (L.pos < L.end && docs[L.pos] === d) score += L.w * imps[L.pos];
    }
    if (pruned) {
      stats.exhaustive = false;
      continue;
    }
    if (heap.offer(score, paperIds[d]) && prune) {
      theta = heap.threshold;
      while (fe < m && prefix[fe] < theta) fe++;
    }
  }
  return stats;
}

/** Score buffers by segment, reused across queries: a search runs to completion on one thread. */
const scoreBuffers = new WeakMap<Segment, Int32Array>();
/** Accumulated scores are whole impact units in an Int32Array; a query whose total could overflow it is pruned instead. */
const MAX_ACCUMULATED_SCORE = 2 ** 31 - 1;

/** Whether `accumulate` can add these lists exactly: whole weights, and every possible total fits. */
function canAccumulate(lists: PostingList[]): boolean {
  let max = 0;
  for (const L of lists) {
    if (!Number.isInteger(L.w)) return false;
    max += L.w * IMPACT_MAX;
  }
  return max <= MAX_ACCUMULATED_SCORE;
}

/**
 * Term at a time: add every posting's impact into a per-document array, then read the array once,
 * newest document first. Exact, and it counts every match; its cost is the postings plus a pass
 * over the documents, whatever the scores look like. The pass has no branch that depends on which
 * documents matched (half of them, for a common word, in no pattern a CPU could predict): the
 * count is arithmetic, and a document is looked at only when it beats the heap's threshold.
 */
function accumulate(
  seg: Segment,
  lists: PostingList[],
  filter: ((d: number) => boolean) | null,
  heap: TopK,
  stats: SegmentSearchStats,
): void {
  let acc = scoreBuffers.get(seg);
  if (!acc) {
    acc = new Int32Array(seg.numDocs);
    scoreBuffers.set(seg, acc);
  }
  const docs = seg.postDocs;
  const imps = seg.postImpacts;
  for (const L of lists) {
    const w = L.w;
    for (let p = L.start; p < L.end; p++) acc[docs[p]] += w * imps[p];
  }
  const alive = seg.alive;
  let matched = 0;
  if (filter !== null) {
    // The filter reads documents in ascending order; it clears the scores of those it rejects.
    for (let d = 0; d < acc.length; d++) {
      if (acc[d] === 0) continue;
      matched++;
      if (alive[d] === 0 || !filter(d)) acc[d] = 0;
    }
  }
  // In the main segment, documents run in ascending paper id. Read backwards, a later equal score
  // has a lower id and loses the tie, so only a strictly higher score can enter; common words have
  // a handful of distinct impacts, and read forwards every tie would enter the heap.
  const tiesMayEnter = !seg.sorted || heap.size > 0;
  const paperIds = seg.paperIds;
  let passed = 0;
  let theta = heap.full ? heap.threshold : 0;
  for (let d = acc.length - 1; d >= 0; d--) {
    const score = acc[d];
    passed += (-score >>> 31) & alive[d];
    if (score > theta || (tiesMayEnter && score === theta && score > 0)) {
      if (alive[d] === 1 && heap.offer(score, paperIds[d]) && heap.full) theta = heap.threshold;
    }
  }
  acc.fill(0);
  stats.evaluated += filter !== null ? matched : passed;
  stats.passed += passed;
}

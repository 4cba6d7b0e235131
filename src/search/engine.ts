import type { Embedder } from './embedder.js';
import { type KeywordQuery, queryTerms } from './keyword-index.js';
import type { KeywordRanker } from './keyword-ranker.js';
import type { ParsedQuery, QueryFilters } from './query.js';
import { tokenize } from './tokenize.js';
import { EXACT_SCAN_MAX, filteredCandidateLimit, type VectorHit, VectorIndex } from './vector-index.js';

/**
 * The search engine: a keyword ranker (the in-process index, or PostgreSQL's full-text search
 * behind the same seam) and, once built, the embedder with the paper vectors. The modes, the
 * hybrid fusion and the feedback are here, once for either ranker; the search service loads the
 * parts from the store and keeps them current.
 */

export type EngineMode = 'keyword' | 'semantic' | 'hybrid';

/** Keyword results the hybrid mode fuses (and the pool pseudo-relevance feedback reads from). */
const HYBRID_KEYWORD_POOL = 100;
/** Nearest papers the hybrid mode adds from the vector index. */
const HYBRID_SEMANTIC_POOL = 100;
/** Top keyword hits whose vectors are averaged into the query vector (pseudo-relevance feedback). */
const PRF_DOCS = 10;
/** Weight of that feedback centroid against the query's own vector (both unit length). */
const PRF_WEIGHT = 1;
/**
 * Weight of the cosine similarity against the keyword score (normalised to the best hit = 1).
 * Chosen by the measured merit of the two signals on CACM as a whole (`npm run eval:search`,
 * BENCHMARKS.md), never per query: at this weight hybrid beats keyword-only there.
 */
export const HYBRID_SEMANTIC_WEIGHT = 0.5;

interface EngineHit {
  paperId: number;
  score: number;
}

interface EngineResult {
  hits: EngineHit[];
  total: number;
  totalIsEstimate: boolean;
  notes: string[];
  mode: EngineMode;
  /** Index terms of the query, for highlighting. */
  terms: Set<string>;
}

export interface Semantic {
  embedder: Embedder;
  vectors: VectorIndex;
}

export class SearchEngine {
  constructor(
    readonly keyword: KeywordRanker,
    public semantic: Semantic | null = null,
  ) {}

  /** Turn a parsed query into the keyword index's form. */
  static keywordQuery(parsed: ParsedQuery, extra: Partial<QueryFilters> = {}): KeywordQuery {
    const required = new Set<string>();
    for (const p of parsed.phrases) for (const t of tokenize(p)) required.add(t);
    const excluded = new Set<string>();
    for (const w of parsed.excluded) for (const t of tokenize(w)) excluded.add(t);
    const f = { ...parsed.filters };
    // Filters from the request (form fields) narrow further; the query's own win on conflict.
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined || k === 'authors') continue;
      if ((f as Record<string, unknown>)[k] === undefined) (f as Record<string, unknown>)[k] = v;
    }
    if (extra.authors) f.authors = [...f.authors, ...extra.authors];
    const text = { words: parsed.words, phrases: parsed.phrases, excluded: parsed.excluded };
    return {
      terms: queryTerms([...parsed.words, ...parsed.phrases]),
      required: [...required],
      excluded: [...excluded],
      filters: f,
      text,
    };
  }

  /** The k best papers for a query in a mode. Never throws on odd input (a database error does throw). */
  async search(
    parsed: ParsedQuery,
    mode: EngineMode,
    k: number,
    extra: Partial<QueryFilters> = {},
    opts: { semanticWeight?: number } = {},
  ): Promise<EngineResult> {
    const kq = SearchEngine.keywordQuery(parsed, extra);
    const terms = new Set(kq.terms.keys());
    const notes: string[] = [];
    if (kq.terms.size === 0) {
      if (parsed.words.length + parsed.phrases.length > 0)
        notes.push(
          'None of the words can be searched for (too common or no letters): showing the newest papers that match the filters.',
        );
      const r = await this.keyword.browse(kq, k);
      return { ...r, notes, mode, terms };
    }
    if (mode !== 'keyword' && !this.semantic) {
      notes.push('Semantic search is not ready yet: keyword results shown.');
      mode = 'keyword';
    }
    if (mode === 'keyword') return { ...(await this.keyword.search(kq, k)), notes, mode, terms };
    const sem = this.semantic!;
    const text = [...parsed.words, ...parsed.phrases].join(' ');
    if (mode === 'semantic') {
      const qv = sem.embedder.embedQuery(text);
      if (!qv) {
        notes.push('The semantic model knows none of these words: keyword results shown.');
        return { ...(await this.keyword.search(kq, k)), notes, mode: 'keyword', terms };
      }
      const hits = await this.nearest(sem, qv, k, kq, true);
      return { hits, total: hits.length, totalIsEstimate: hits.length >= k, notes, mode, terms };
    }
    // Hybrid: keyword hits, the query vector enriched by its top keyword hits, fused by weighted sum.
    const kw = await this.keyword.search(kq, Math.max(k, HYBRID_KEYWORD_POOL));
    const qv = expandQuery(
      sem,
      sem.embedder.embedQuery(text),
      kw.hits.slice(0, PRF_DOCS).map((h) => h.paperId),
    );
    if (!qv) return { ...kw, hits: kw.hits.slice(0, k), notes, mode, terms };
    const semHits = await this.nearest(sem, qv, Math.max(k, HYBRID_SEMANTIC_POOL), kq, false);
    const weight = opts.semanticWeight ?? HYBRID_SEMANTIC_WEIGHT;
    const maxKw = kw.hits[0]?.score || 1;
    const fused = new Map<number, number>();
    for (const h of kw.hits) fused.set(h.paperId, h.score / maxKw);
    for (const h of semHits) if (!fused.has(h.paperId)) fused.set(h.paperId, 0);
    const hits: EngineHit[] = [];
    for (const [id, kwScore] of fused) {
      const v = sem.vectors.get(id);
      hits.push({ paperId: id, score: kwScore + (v ? weight * VectorIndex.dot(qv, v) : 0) });
    }
    hits.sort((a, b) => b.score - a.score || b.paperId - a.paperId);
    return {
      hits: hits.slice(0, k),
      total: Math.max(kw.total, fused.size),
      totalIsEstimate: kw.totalIsEstimate,
      notes,
      mode,
      terms,
    };
  }

  /**
   * The k papers nearest to qv that pass the query's filters. With `exactFallback`, a filter that
   * leaves too few among the graph's candidates is answered by scanning every paper it allows
   * (when there are at most EXACT_SCAN_MAX of them).
   */
  private async nearest(
    sem: Semantic,
    qv: Float32Array,
    k: number,
    kq: KeywordQuery,
    exactFallback: boolean,
  ): Promise<VectorHit[]> {
    if (!hasFilters(kq)) return sem.vectors.search(qv, k);
    const accept = await this.keyword.acceptor(kq, () => sem.vectors.nearest(qv, filteredCandidateLimit(k)));
    const hits = sem.vectors.search(qv, k, accept);
    if (hits.length >= k || !exactFallback) return hits;
    const pool = await this.keyword.browse(kq, EXACT_SCAN_MAX + 1);
    return pool.total <= EXACT_SCAN_MAX
      ? sem.vectors.exact(
          qv,
          pool.hits.map((h) => h.paperId),
          k,
        )
      : hits;
  }

  /** Papers most like this one by their vectors; empty when it has none. */
  similar(paperId: number, k: number): EngineHit[] {
    const v = this.semantic?.vectors.get(paperId);
    if (!this.semantic || !v) return [];
    const q = Float32Array.from(v);
    return this.semantic.vectors.search(q, k + 1, (id) => id !== paperId).slice(0, k);
  }
}

function hasFilters(q: KeywordQuery): boolean {
  const f = q.filters ?? {};
  return (
    (q.required?.length ?? 0) > 0 ||
    (q.excluded?.length ?? 0) > 0 ||
    (f.authors?.length ?? 0) > 0 ||
    !!f.category ||
    !!f.org ||
    !!f.after ||
    !!f.before ||
    !!f.hasCode ||
    !!f.hasResults ||
    !!f.fact ||
    !!f.paperIds
  );
}

/** Query vector + PRF_WEIGHT × the mean vector of the feedback papers, normalised. */
function expandQuery(sem: Semantic, qv: Float32Array | null, feedback: number[]): Float32Array | null {
  const d = sem.embedder.dimensions;
  const centroid = new Float32Array(d);
  let n = 0;
  for (const id of feedback) {
    const v = sem.vectors.get(id);
    if (!v) continue;
    for (let j = 0; j < d; j++) centroid[j] += v[j];
    n++;
  }
  if (n === 0) return qv;
  normalize(centroid);
  const out = new Float32Array(d);
  for (let j = 0; j < d; j++) out[j] = (qv ? qv[j] : 0) + PRF_WEIGHT * centroid[j];
  return normalize(out);
}

function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j] * v[j];
  s = Math.sqrt(s);
  if (s > 0) for (let j = 0; j < v.length; j++) v[j] /= s;
  return v;
}

/**
 * Papers' vectors, flat (n × dimensions) in the order of `ids`; the papers the model has no vector
 * for (none of their words known) are in `missing`.
 */
export function embedDocs(
  embedder: Embedder,
  docs: Array<{ paperId: number; title: string; abstract: string }>,
): { ids: number[]; flat: Float32Array; missing: number[] } {
  const d = embedder.dimensions;
  const ids: number[] = [];
  const flat = new Float32Array(docs.length * d);
  const missing: number[] = [];
  for (const doc of docs) {
    const v = embedder.embedDoc(doc);
    if (!v) {
      missing.push(doc.paperId);
      continue;
    }
    flat.set(v, ids.length * d);
    ids.push(doc.paperId);
  }
  return { ids, flat: flat.subarray(0, ids.length * d), missing };
}

/** Embed papers and put their vectors in the index; returns the vectors computed (for storing). */
export function embedInto(
  sem: Semantic,
  docs: Array<{ paperId: number; title: string; abstract: string }>,
): Map<number, Float32Array> {
  const { ids, flat, missing } = embedDocs(sem.embedder, docs);
  sem.vectors.remove(missing);
  sem.vectors.addBatch(ids, flat);
  const d = sem.embedder.dimensions;
  return new Map(ids.map((id, i) => [id, flat.subarray(i * d, (i + 1) * d)]));
}

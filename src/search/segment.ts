import { GrowableU8, GrowableU32 } from './growable.js';
import { termOf } from './tokenize.js';
import { WordTable } from './word-table.js';

/**
 * One immutable piece of the keyword index: postings in document order with quantised BM25F
 * impacts, per-block maxima for pruning, and the per-paper facts that filters need.
 * A KeywordIndex holds a large main segment and tiered delta segments of recent changes.
 */

/** What the index needs to know about a paper. */
export interface IndexDoc {
  paperId: number;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  /** Organisation short name, lowercase. */
  org: string | null;
  /** Publication date, ISO (only YYYY-MM-DD is used). */
  publishedAt: string | null;
  hasCode: boolean;
}

/** BM25 saturation: 0.9 with b 0.4 is the setting the published CACM/TREC BM25 figures use. */
const BM25_K1 = 0.9;
/** BM25 length normalisation (0 = none, 1 = full). */
const BM25_B = 0.4;
/** A title word counts as this many abstract words: titles are short and say what a paper is about. */
export const TITLE_WEIGHT = 2;
/** An author-name word counts as this many abstract words (searching "hinton" should find his papers). */
export const AUTHOR_WEIGHT = 1;
/** Postings per block for block-max pruning: small blocks skip finer, large ones cost less memory. */
export const BLOCK_SIZE = 64;
/** Impacts are quantised to 16 bits; 8 bits lose resolution on the low-idf words common queries use. */
export const IMPACT_MAX = 65535;
/** Papers scored per step when a segment is built in steps (the owner pauses between steps: a few ms each). */
const SCORE_SLICE_DOCS = 200;
/** Term frequencies are capped to fit a byte; BM25 saturates long before. */
const MAX_TF = 255;

/** Term, author-word, category and organisation numbering shared by all segments of an index. */
export class Dictionaries {
  terms = new Map<string, number>();
  authorWords = new Map<string, number>();
  categories = new Map<string, number>();
  orgs = new Map<string, number>();
  /** Words as written → their term ids (-1 for words not indexed), for building segments. */
  readonly words = new WordTable((word) => {
    const term = termOf(word);
    return term === null ? -1 : Dictionaries.idOf(this.terms, term);
  });
  static idOf(map: Map<string, number>, key: string): number {
    let id = map.get(key);
    if (id === undefined) {
      id = map.size;
      map.set(key, id);
    }
    return id;
  }
}

/** Collection statistics that turn term frequencies into BM25 scores. */
export interface Bm25Stats {
  numDocs: number;
  avgTitle: number;
  avgAbstract: number;
  avgAuthors: number;
  /** Document frequency of a term in the segment the statistics come from. */
  df(termId: number): number;
  /** Inverse document frequency used to score the term. */
  idf(termId: number): number;
  /** Impact units per BM25 point; fixed by the main segment so segments add up consistently. */
  scale: number;
}

export interface Segment {
  numDocs: number;
  /** By document number (the order papers were added). */
  paperIds: Int32Array;
  /** 0 once a paper was deleted or replaced by a newer copy in the delta. */
  alive: Uint8Array;
  /** YYYYMMDD, 0 when unknown. */
  day: Int32Array;
  /** -1 when none. */
  orgId: Int32Array;
  hasCode: Uint8Array;
  catStart: Uint32Array;
  catIds: Uint32Array;
  /** Postings of term t: [termStart[t], termStart[t+1]) of postDocs/postImpacts. Sized to the vocabulary at build time. */
  termStart: Uint32Array;
  postDocs: Uint32Array;
  postImpacts: Uint16Array;
  /** Blocks of term t: [blockStart[t], blockStart[t+1]) of blockMax/blockLast. */
  blockStart: Uint32Array;
  blockMax: Uint16Array;
  /** Last document number in each block. */
  blockLast: Uint32Array;
  /** Documents whose author list contains author word a: [authorStart[a], authorStart[a+1]) of authorDocs. */
  authorStart: Uint32Array;
  authorDocs: Uint32Array;
  /** Sums of field lengths (in terms), for the averages. */
  sumTitle: number;
  sumAbstract: number;
  sumAuthors: number;
  /** True when paperIds ascend (the main segment), so a paper is found by binary search. */
  sorted: boolean;
}

function dayNumber(iso: string | null): number {
  if (!iso) return 0;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]) : 0;
}

/** Lowercase words of author names, unstemmed: author:"Yann LeCun" needs every word on the paper. */
export function authorWords(name: string): string[] {
  return name.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Collects papers, then lays out postings. Two phases because BM25 needs the collection's
 * statistics (document frequencies, average lengths) before any impact can be computed.
 */
export class SegmentBuilder {
  private docTermStart = new GrowableU32();
  private docTerms = new GrowableU32();
  private tfTitle = new GrowableU8();
  private tfAbstract = new GrowableU8();
  private tfAuthors = new GrowableU8();
  private lenTitle = new GrowableU32();
  private lenAbstract = new GrowableU32();
  private lenAuthors = new GrowableU32();
  private paperIds = new GrowableU32();
  private days = new GrowableU32();
  private orgIds = new GrowableU32();
  private codes = new GrowableU8();
  private catStart = new GrowableU32();
  private catIds = new GrowableU32();
  private authorPairs = new GrowableU32(); // (authorWord, doc) pairs, flattened
  private localDf = new GrowableU32();
  /** Per-term scratch: the slot of the term in the current document's list, valid when seenIn[t] === doc+1. */
  private seenIn = new GrowableU32();
  private slot = new GrowableU32();
  private fieldTerms = new GrowableU32();
  private sorted = true;
  private lastPaperId = -Infinity;

  constructor(readonly dict: Dictionaries) {
    this.docTermStart.push(0);
    this.catStart.push(0);
  }

  get size(): number {
    return this.paperIds.length;
  }

  add(doc: IndexDoc): void {
    const docNo = this.paperIds.length;
    if (doc.paperId <= this.lastPaperId) this.sorted = false;
    this.lastPaperId = doc.paperId;
    this.paperIds.push(doc.paperId);
    this.days.push(dayNumber(doc.publishedAt));
    this.orgIds.push(doc.org ? Dictionaries.idOf(this.dict.orgs, doc.org.toLowerCase()) + 1 : 0);
    this.codes.push(doc.hasCode ? 1 : 0);
    for (const c of new Set(doc.categories)) this.catIds.push(Dictionaries.idOf(this.dict.categories, c.toLowerCase()));
    this.catStart.push(this.catIds.length);
    const aw = new Set<number>();
    for (const name of doc.authors)
      for (const w of authorWords(name)) aw.add(Dictionaries.idOf(this.dict.authorWords, w));
    for (const a of aw) {
      this.authorPairs.push(a);
      this.authorPairs.push(docNo);
    }
    this.lenTitle.push(this.countField(doc.title, this.tfTitle, docNo));
    this.lenAbstract.push(this.countField(doc.abstract, this.tfAbstract, docNo));
    this.lenAuthors.push(this.countField(doc.authors.join(' , '), this.tfAuthors, docNo));
    this.docTermStart.push(this.docTerms.length);
  }

  /** Counts the terms of one field of the current document; returns how many there were. */
  private countField(text: string, tf: GrowableU8, docNo: number): number {
    const ids = this.fieldTerms;
    ids.length = 0;
    this.dict.words.appendIds(text, ids);
    for (let i = 0; i < ids.length; i++) {
      const t = ids.data[i];
      while (this.seenIn.length <= t) {
        this.seenIn.push(0);
        this.slot.push(0);
        this.localDf.push(0);
      }
      let s: number;
      if (this.seenIn.data[t] === docNo + 1) s = this.slot.data[t];
      else {
        s = this.docTerms.length;
        this.seenIn.data[t] = docNo + 1;
        this.slot.data[t] = s;
        this.docTerms.push(t);
        this.tfTitle.push(0);
        this.tfAbstract.push(0);
        this.tfAuthors.push(0);
        this.localDf.data[t]++;
      }
      if (tf.data[s] < MAX_TF) tf.data[s]++;
    }
    return ids.length;
  }

  /** This segment's own statistics (the main segment scores with these). */
  ownStats(): Bm25Stats {
    return runSteps(this.ownStatsSteps());
  }

  /** `ownStats`, pausing every SCORE_SLICE_DOCS papers (see `finishSteps`). */
  *ownStatsSteps(): Generator<void, Bm25Stats> {
    const n = Math.max(1, this.size);
    const stats: Bm25Stats = {
      numDocs: this.size,
      avgTitle: sum(this.lenTitle) / n || 1,
      avgAbstract: sum(this.lenAbstract) / n || 1,
      avgAuthors: sum(this.lenAuthors) / n || 1,
      df: (t) => (t < this.localDf.length ? this.localDf.data[t] : 0),
      idf: (t) => bm25Idf(stats.df(t), stats.numDocs),
      scale: 1,
    };
    // One impact unit per this many BM25 points: the largest score in the segment maps to the top level.
    let max = 0;
    yield* this.forEachScore(stats, (_t, _d, s) => {
      if (s > max) max = s;
    });
    stats.scale = max > 0 ? IMPACT_MAX / max : 1;
    return stats;
  }

  private *forEachScore(stats: Bm25Stats, fn: (term: number, doc: number, score: number) => void): Generator<void> {
    const n = this.size;
    // Only the words this segment holds need an idf (the dictionary is the whole index's).
    const idf = new Float64Array(this.localDf.length);
    for (let t = 0; t < idf.length; t++) if (this.localDf.data[t] > 0) idf[t] = stats.idf(t);
    const normT = (len: number) => 1 - BM25_B + (BM25_B * len) / stats.avgTitle;
    const normA = (len: number) => 1 - BM25_B + (BM25_B * len) / stats.avgAbstract;
    const normU = (len: number) => 1 - BM25_B + (BM25_B * len) / stats.avgAuthors;
    const starts = this.docTermStart.data;
    const terms = this.docTerms.data;
    const tT = this.tfTitle.data;
    const tA = this.tfAbstract.data;
    const tU = this.tfAuthors.data;
    for (let d = 0; d < n; d++) {
      if (d > 0 && d % SCORE_SLICE_DOCS === 0) yield;
      const nt = normT(this.lenTitle.data[d]);
      const na = normA(this.lenAbstract.data[d]);
      const nu = normU(this.lenAuthors.data[d]);
      for (let i = starts[d]; i < starts[d + 1]; i++) {
        const t = terms[i];
        const tf = (TITLE_WEIGHT * tT[i]) / nt + tA[i] / na + (AUTHOR_WEIGHT * tU[i]) / nu;
        fn(t, d, (idf[t] * tf * (BM25_K1 + 1)) / (tf + BM25_K1));
      }
    }
  }

  /** Lay out the postings, scoring with `stats` (the main segment's for a delta). */
  finish(stats: Bm25Stats = this.ownStats()): Segment {
    return runSteps(this.finishSteps(stats));
  }

  /**
   * `finish`, pausing (yielding) every SCORE_SLICE_DOCS papers scored, so that an owner building
   * beside a served index can give the event loop a turn: the builder is not used meanwhile.
   */
  *finishSteps(stats: Bm25Stats): Generator<void, Segment> {
    const n = this.size;
    const vocab = this.dict.terms.size;
    const termStart = new Uint32Array(vocab + 1);
    for (let t = 0; t < this.localDf.length; t++) termStart[t + 1] = this.localDf.data[t];
    for (let t = 0; t < vocab; t++) termStart[t + 1] += termStart[t];
    const total = termStart[vocab];
    const postDocs = new Uint32Array(total);
    const postImpacts = new Uint16Array(total);
    const fill = termStart.slice(0, vocab);
    yield* this.forEachScore(stats, (t, d, s) => {
      const p = fill[t]++;
      postDocs[p] = d;
      postImpacts[p] = Math.min(IMPACT_MAX, Math.max(1, Math.round(s * stats.scale)));
    });
    yield;
    const blockStart = new Uint32Array(vocab + 1);
    for (let t = 0; t < vocab; t++)
      blockStart[t + 1] = blockStart[t] + Math.ceil((termStart[t + 1] - termStart[t]) / BLOCK_SIZE);
    const blocks = blockStart[vocab];
    const blockMax = new Uint16Array(blocks);
    const blockLast = new Uint32Array(blocks);
    for (let t = 0; t < vocab; t++) {
      let b = blockStart[t];
      for (let p = termStart[t]; p < termStart[t + 1]; p += BLOCK_SIZE, b++) {
        const end = Math.min(p + BLOCK_SIZE, termStart[t + 1]);
        let m = 0;
        for (let i = p; i < end; i++) if (postImpacts[i] > m) m = postImpacts[i];
        blockMax[b] = m;
        blockLast[b] = postDocs[end - 1];
      }
    }
    yield;
    // Author postings: counting sort of the (word, doc) pairs; docs arrive ascending per word.
    const aVocab = this.dict.authorWords.size;
    const authorStart = new Uint32Array(aVocab + 1);
    const pairs = this.authorPairs.data;
    const np = this.authorPairs.length;
    for (let i = 0; i < np; i += 2) authorStart[pairs[i] + 1]++;
    for (let a = 0; a < aVocab; a++) authorStart[a + 1] += authorStart[a];
    const authorDocs = new Uint32Array(np / 2);
    const aFill = authorStart.slice(0, aVocab);
    for (let i = 0; i < np; i += 2) authorDocs[aFill[pairs[i]]++] = pairs[i + 1];
    const orgId = new Int32Array(n);
    for (let d = 0; d < n; d++) orgId[d] = this.orgIds.data[d] - 1;
    return {
      numDocs: n,
      paperIds: Int32Array.from(this.paperIds.data.subarray(0, n)),
      alive: new Uint8Array(n).fill(1),
      day: Int32Array.from(this.days.data.subarray(0, n)),
      orgId,
      hasCode: this.codes.data.slice(0, n),
      catStart: this.catStart.toArray(),
      catIds: this.catIds.toArray(),
      termStart,
      postDocs,
      postImpacts,
      blockStart,
      blockMax,
      blockLast,
      authorStart,
      authorDocs,
      sumTitle: sum(this.lenTitle),
      sumAbstract: sum(this.lenAbstract),
      sumAuthors: sum(this.lenAuthors),
      sorted: this.sorted,
    };
  }
}

/** Run a generator of build steps to its end, without pausing. */
function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Robertson–Spärck Jones idf, kept positive for words in more than half the papers (Lucene's form). */
export function bm25Idf(df: number, numDocs: number): number {
  return Math.log(1 + (numDocs - df + 0.5) / (df + 0.5));
}

function sum(g: GrowableU32): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g.data[i];
  return s;
}

/** Document number of a paper in a segment, or -1. */
export function docOf(seg: Segment, paperId: number): number {
  if (seg.sorted) {
    let lo = 0;
    let hi = seg.numDocs - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = seg.paperIds[mid];
      if (v === paperId) return mid;
      if (v < paperId) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
  return seg.paperIds.indexOf(paperId);
}

export function segmentBytes(seg: Segment): number {
  let b = 0;
  for (const v of Object.values(seg)) if (ArrayBuffer.isView(v)) b += v.byteLength;
  return b;
}

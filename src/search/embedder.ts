import { createHash } from 'node:crypto';
import { GrowableU32 } from './growable.js';
import { type Csr, randomizedSvd } from './linalg.js';
import { termOf, tokenize } from './tokenize.js';
import { WordTable } from './word-table.js';

/**
 * Turns text into unit vectors whose cosine says how alike two texts are. The default is trained
 * from the site's own papers (no download); a site with a local ONNX sentence model implements
 * this interface instead and sets it with `setEmbedder` in the search service.
 */
export interface Embedder {
  /** Identifies the model; stored vectors of another name are recomputed. */
  readonly name: string;
  readonly dimensions: number;
  /** A paper's vector, or null when the model knows none of its words. */
  embedDoc(doc: { title: string; abstract: string }): Float32Array | null;
  embedQuery(text: string): Float32Array | null;
}

/** Vector length: 128 dimensions capture topics well at LSA's level; more costs memory and build time. */
const LSA_DIMENSIONS = 128;
/** Most frequent words kept in the model's vocabulary; rarer ones add little to topics. */
const LSA_MAX_VOCABULARY = 30_000;
/** A word must appear in this many training papers to get a vector (rarer ones are noise). */
const LSA_MIN_DF = 2;
/** Training sample cap: co-occurrence statistics settle long before a million papers. */
export const LSA_MAX_TRAIN_DOCS = 50_000;
/** Power iterations of randomized SVD: 2 makes the top singular vectors accurate for slowly decaying spectra. */
const SVD_POWER_ITERATIONS = 2;
/** SIF smoothing (Arora et al. 2017): words with probability well above this weigh little. */
const SIF_A = 1e-3;
/** Title words count this many times when pooling a paper's vector, as in the keyword index. */
const TITLE_REPEAT = 2;

interface LsaModelData {
  version: 1;
  dimensions: number;
  vocabulary: string[];
  /** Float32 base64: SIF weight per word. */
  weights: string;
  /** Float32 base64: vocabulary × dimensions word vectors. */
  vectors: string;
  /** Float32 base64: the common component removed from every vector (SIF). */
  common: string;
}

function f32ToBase64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function base64ToF32(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function vectorToBase64(v: Float32Array): string {
  return f32ToBase64(v);
}

export function vectorFromBase64(s: string): Float32Array {
  return base64ToF32(s);
}

/**
 * LSA word vectors with SIF pooling: a TF-IDF paper×word matrix from the corpus, its top singular
 * vectors by randomized SVD give each word a vector; a text's vector is the SIF-weighted mean of its
 * words' vectors minus the common component, normalised.
 *
 * @example
 * const e = LsaEmbedder.train(papers);      // [{ title, abstract }, …]
 * e.embedQuery('protein folding')           // Float32Array(128), unit length
 */
export class LsaEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  private index: Map<string, number>;
  /** Words as written → rows of the model (-1 for words it does not know). */
  private words: WordTable;
  /** Scratch for pooling: a text's words, their rows, each row's count, and the running sum. */
  private docWords = new GrowableU32();
  private docRows = new GrowableU32();
  private rowCounts: Float64Array;
  private pooled: Float64Array;
  private constructor(
    private data: LsaModelData,
    private weights: Float32Array,
    private vectors: Float32Array,
    private common: Float32Array,
  ) {
    this.dimensions = data.dimensions;
    this.index = new Map(data.vocabulary.map((w, i) => [w, i]));
    this.rowCounts = new Float64Array(data.vocabulary.length);
    this.pooled = new Float64Array(this.dimensions);
    this.words = new WordTable((word) => {
      const term = termOf(word);
      return term === null ? -1 : (this.index.get(term) ?? -1);
    });
    this.name = `lsa-${data.dimensions}-${createHash('sha256').update(data.vectors.slice(0, 4096)).update(data.vocabulary.join(' ')).digest('hex').slice(0, 12)}`;
  }

  get vocabularySize(): number {
    return this.data.vocabulary.length;
  }

  static train(
    docs: Iterable<{ title: string; abstract: string }>,
    opts: { dimensions?: number; maxVocabulary?: number; minDf?: number; maxDocs?: number } = {},
  ): LsaEmbedder {
    const maxDocs = opts.maxDocs ?? LSA_MAX_TRAIN_DOCS;
    const docTerms: Map<string, number>[] = [];
    const df = new Map<string, number>();
    const cf = new Map<string, number>();
    let tokens = 0;
    for (const d of docs) {
      if (docTerms.length >= maxDocs) break;
      const counts = new Map<string, number>();
      for (const t of textTerms(d)) counts.set(t, (counts.get(t) ?? 0) + 1);
      docTerms.push(counts);
      for (const [t, c] of counts) {
        df.set(t, (df.get(t) ?? 0) + 1);
        cf.set(t, (cf.get(t) ?? 0) + c);
        tokens += c;
      }
    }
    const minDf = opts.minDf ?? LSA_MIN_DF;
    const vocabulary = [...df.entries()]
      .filter(([, n]) => n >= minDf)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, opts.maxVocabulary ?? LSA_MAX_VOCABULARY)
      .map(([t]) => t);
    const index = new Map(vocabulary.map((w, i) => [w, i]));
    const n = docTerms.length;
    // TF-IDF rows, L2-normalised: the classic LSA matrix.
    const rowStart = new Uint32Array(n + 1);
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++) {
      let norm = 0;
      const start = cols.length;
      for (const [t, c] of docTerms[i]) {
        const j = index.get(t);
        if (j === undefined) continue;
        const w = (1 + Math.log(c)) * Math.log(n / df.get(t)!);
        cols.push(j);
        vals.push(w);
        norm += w * w;
      }
      norm = Math.sqrt(norm) || 1;
      for (let p = start; p < vals.length; p++) vals[p] /= norm;
      rowStart[i + 1] = cols.length;
    }
    const x: Csr = {
      rows: n,
      cols: vocabulary.length,
      rowStart,
      col: Uint32Array.from(cols),
      val: Float32Array.from(vals),
    };
    const dims = Math.max(1, Math.min(opts.dimensions ?? LSA_DIMENSIONS, vocabulary.length - 1, n - 1));
    const { v, rank } = randomizedSvd(x, dims, { powerIterations: SVD_POWER_ITERATIONS });
    const vectors = new Float32Array(vocabulary.length * dims);
    for (let t = 0; t < vocabulary.length; t++) for (let j = 0; j < rank; j++) vectors[t * dims + j] = v[t * rank + j];
    const weights = new Float32Array(vocabulary.length);
    for (let t = 0; t < vocabulary.length; t++)
      weights[t] = SIF_A / (SIF_A + cf.get(vocabulary[t])! / Math.max(1, tokens));
    const data: LsaModelData = {
      version: 1,
      dimensions: dims,
      vocabulary,
      weights: f32ToBase64(weights),
      vectors: f32ToBase64(vectors),
      common: '',
    };
    const model = new LsaEmbedder(data, weights, vectors, new Float32Array(dims));
    // SIF: remove the direction every paper shares (first principal component of the pooled vectors).
    const common = firstPrincipalComponent(
      docTerms
        .slice(0, 20_000)
        .map((c) => model.pool(c))
        .filter((p): p is Float32Array => p !== null),
      dims,
    );
    data.common = f32ToBase64(common);
    return new LsaEmbedder(data, weights, vectors, common);
  }

  serialize(): string {
    return JSON.stringify(this.data);
  }

  static deserialize(json: string): LsaEmbedder {
    const data = JSON.parse(json) as LsaModelData;
    if (data.version !== 1 || !Array.isArray(data.vocabulary))
      throw new Error('search: stored LSA model has an unknown format');
    return new LsaEmbedder(data, base64ToF32(data.weights), base64ToF32(data.vectors), base64ToF32(data.common));
  }

  /** SIF-weighted mean of word vectors (not yet centred or normalised); training pools its Maps with it. */
  private pool(counts: Map<string, number>): Float32Array | null {
    for (const [t, c] of counts) {
      const i = this.index.get(t);
      if (i !== undefined) this.addRow(i, c);
    }
    return this.poolRows();
  }

  private finish(v: Float32Array | null): Float32Array | null {
    if (!v) return null;
    let dot = 0;
    for (let j = 0; j < v.length; j++) dot += v[j] * this.common[j];
    let norm = 0;
    for (let j = 0; j < v.length; j++) {
      v[j] -= dot * this.common[j];
      norm += v[j] * v[j];
    }
    norm = Math.sqrt(norm);
    if (norm === 0) return null;
    for (let j = 0; j < v.length; j++) v[j] /= norm;
    return v;
  }

  embedDoc(doc: { title: string; abstract: string }): Float32Array | null {
    return this.finish(this.poolTexts([doc.title, TITLE_REPEAT], [doc.abstract, 1]));
  }

  embedQuery(text: string): Float32Array | null {
    return this.finish(this.poolTexts([text, 1]));
  }

  /** As `pool` over the terms of the texts, each counted `repeat` times, through the word table (no string per word). */
  private poolTexts(...parts: Array<[text: string, repeat: number]>): Float32Array | null {
    const ids = this.docWords;
    for (const [text, repeat] of parts) {
      ids.length = 0;
      this.words.appendIds(text, ids);
      for (let k = 0; k < ids.length; k++) this.addRow(ids.data[k], repeat);
    }
    return this.poolRows();
  }

  /** Counts `count` uses of model row i towards the next poolRows. */
  private addRow(i: number, count: number): void {
    if (this.rowCounts[i] === 0) this.docRows.push(i);
    this.rowCounts[i] += count;
  }

  /**
   * The SIF-weighted sum of the rows counted since the last call, or null when there were none;
   * clears the counts. Typed arrays, not a Map per paper: this runs on every paper of a build.
   */
  private poolRows(): Float32Array | null {
    const rows = this.docRows;
    const counts = this.rowCounts;
    if (rows.length === 0) return null;
    const d = this.dimensions;
    const sum = this.pooled.fill(0);
    const vectors = this.vectors;
    const weights = this.weights;
    const r = rows.data;
    let k = 0;
    // Four rows at a time: a paper's rows are scattered over a table larger than the CPU's caches,
    // and four independent streams wait for memory together (2.8× faster than one at a time here).
    for (; k + 4 <= rows.length; k += 4) {
      const a = r[k] * d;
      const b = r[k + 1] * d;
      const c = r[k + 2] * d;
      const e = r[k + 3] * d;
      const wa = counts[r[k]] * weights[r[k]];
      const wb = counts[r[k + 1]] * weights[r[k + 1]];
      const wc = counts[r[k + 2]] * weights[r[k + 2]];
      const we = counts[r[k + 3]] * weights[r[k + 3]];
      for (let j = 0; j < d; j++)
        sum[j] += wa * vectors[a + j] + wb * vectors[b + j] + wc * vectors[c + j] + we * vectors[e + j];
    }
    for (; k < rows.length; k++) {
      const o = r[k] * d;
      const w = counts[r[k]] * weights[r[k]];
      for (let j = 0; j < d; j++) sum[j] += w * vectors[o + j];
    }
    for (k = 0; k < rows.length; k++) counts[r[k]] = 0;
    rows.length = 0;
    return Float32Array.from(sum);
  }
}

function textTerms(d: { title: string; abstract: string }): string[] {
  const title = tokenize(d.title);
  const out: string[] = [];
  for (let r = 0; r < TITLE_REPEAT; r++) out.push(...title);
  out.push(...tokenize(d.abstract));
  return out;
}

/** Unit first principal direction of row vectors (uncentred, as SIF does), by power iteration. */
function firstPrincipalComponent(rows: Float32Array[], d: number): Float32Array {
  const pc = new Float32Array(d);
  if (rows.length === 0) return pc;
  let v = new Float64Array(d).fill(1 / Math.sqrt(d));
  for (let it = 0; it < 30; it++) {
    const next = new Float64Array(d);
    for (const r of rows) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += r[j] * v[j];
      for (let j = 0; j < d; j++) next[j] += dot * r[j];
    }
    let norm = 0;
    for (let j = 0; j < d; j++) norm += next[j] * next[j];
    norm = Math.sqrt(norm);
    if (norm === 0) return pc;
    for (let j = 0; j < d; j++) next[j] /= norm;
    v = next;
  }
  for (let j = 0; j < d; j++) pc[j] = v[j];
  return pc;
}

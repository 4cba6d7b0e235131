import type { RecsPaper } from './model.js';
import type { SparseVector } from './tfidf.js';

/**
 * The candidates of a "For you" period packed for scoring many readers: their TF-IDF rows as one
 * sparse matrix, by row (CSR: a reader's dense profile times every row) and by term (CSC: one
 * paper's row times every candidate, touching only the candidates that share a term with it), and
 * their authors, categories and listing days as small integers. Built once per candidate set and
 * shared by every reader's request and every digest; nothing in it belongs to a reader.
 *
 * @example
 * const m = candidateMatrix(papers, vectorizer.features);
 * const sims = new Float64Array(m.rows);
 * gatherSims(m, profile.text!, sims); // sims[i] = papers[i].vec · profile.text
 */
export interface CandidateMatrix {
  papers: readonly RecsPaper[];
  rows: number;
  features: number;
  rowPtr: Int32Array;
  rowTerm: Int32Array;
  rowVal: Float32Array;
  colPtr: Int32Array;
  colRow: Int32Array;
  colVal: Float32Array;
  listedDay: Int32Array;
  /** The authors of row i are authorOf[authorPtr[i] .. authorPtr[i + 1]), ids into `authorIds`. */
  authorPtr: Int32Array;
  authorOf: Int32Array;
  authorIds: Map<string, number>;
  categoryPtr: Int32Array;
  categoryOf: Int32Array;
  categoryIds: Map<string, number>;
  /** Paper id → row. */
  rowOf: Map<number, number>;
  /** Zeros, `features` long, for spreading a sparse row out (left zeroed after each use). */
  scratch: Float64Array;
  /**
   * Space reused by every scoring pass over this matrix (model.ts, scoreMatrix), so a request
   * allocates no array the size of the candidates or their authors: large typed arrays are
   * allocated outside the young heap, and allocating them per request showed in the profile.
   * Per-author and per-category entries are left zeroed after each pass; the others are written
   * whole before they are read.
   */
  work: {
    authorWeight: Float64Array;
    authorFlag: Uint8Array;
    categoryShare: Float64Array;
    categoryFollowed: Uint8Array;
    sims: Float64Array;
    scores: Float64Array;
    kept: Int32Array;
    skip: Uint8Array;
    searchOf: Int16Array;
    acc: Float64Array;
    /** One liked paper's similarity to every row, by paper id (reader-text.ts, textSims). */
    paperSims: Map<number, Float64Array>;
  };
}

function intern(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size;
    ids.set(key, id);
  }
  return id;
}

export function candidateMatrix(papers: readonly RecsPaper[], features: number): CandidateMatrix {
  const rows = papers.length;
  let nnz = 0;
  let authors = 0;
  let categories = 0;
  for (const p of papers) {
    nnz += p.vec.idx.length;
    authors += p.authors.length;
    categories += p.categories.length;
  }
  const rowPtr = new Int32Array(rows + 1);
  const rowTerm = new Int32Array(nnz);
  const rowVal = new Float32Array(nnz);
  const colCount = new Int32Array(features + 1);
  const listedDay = new Int32Array(rows);
  const authorPtr = new Int32Array(rows + 1);
  const authorOf = new Int32Array(authors);
  const categoryPtr = new Int32Array(rows + 1);
  const categoryOf = new Int32Array(categories);
  const authorIds = new Map<string, number>();
  const categoryIds = new Map<string, number>();
  const rowOf = new Map<number, number>();
  let k = 0;
  let a = 0;
  let c = 0;
  for (let i = 0; i < rows; i++) {
    const p = papers[i];
    rowOf.set(p.id, i);
    listedDay[i] = p.listedDay;
    const { idx, val } = p.vec;
    for (let j = 0; j < idx.length; j++, k++) {
      rowTerm[k] = idx[j];
      rowVal[k] = val[j];
      colCount[idx[j] + 1]++;
    }
    rowPtr[i + 1] = k;
    for (const name of p.authors) authorOf[a++] = intern(authorIds, name);
    authorPtr[i + 1] = a;
    for (const cat of p.categories) categoryOf[c++] = intern(categoryIds, cat);
    categoryPtr[i + 1] = c;
  }
  // Counts to starts, then fill each term's list in row order.
  for (let t = 0; t < features; t++) colCount[t + 1] += colCount[t];
  const colPtr = colCount;
  const next = colPtr.slice(0, features);
  const colRow = new Int32Array(nnz);
  const colVal = new Float32Array(nnz);
  for (let i = 0; i < rows; i++)
    for (let j = rowPtr[i]; j < rowPtr[i + 1]; j++) {
      const at = next[rowTerm[j]]++;
      colRow[at] = i;
      colVal[at] = rowVal[j];
    }
  return {
    papers,
    rows,
    features,
    rowPtr,
    rowTerm,
    rowVal,
    colPtr,
    colRow,
    colVal,
    listedDay,
    authorPtr,
    authorOf,
    authorIds,
    categoryPtr,
    categoryOf,
    categoryIds,
    rowOf,
    scratch: new Float64Array(features),
    work: {
      authorWeight: new Float64Array(authorIds.size),
      authorFlag: new Uint8Array(authorIds.size),
      categoryShare: new Float64Array(categoryIds.size),
      categoryFollowed: new Uint8Array(categoryIds.size),
      sims: new Float64Array(rows),
      scores: new Float64Array(rows),
      kept: new Int32Array(rows),
      skip: new Uint8Array(rows),
      searchOf: new Int16Array(rows),
      acc: new Float64Array(rows),
      paperSims: new Map(),
    },
  };
}

/** out[i] = row i · dense (a reader's whole profile against every candidate). */
export function gatherSims(m: CandidateMatrix, dense: Float64Array, out: Float64Array): void {
  const { rowPtr, rowTerm, rowVal } = m;
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = rowPtr[i]; j < rowPtr[i + 1]; j++) s += rowVal[j] * dense[rowTerm[j]];
    out[i] = s;
  }
}

/** out[i] += w · (row i · x), through the term lists: the cost is the candidates sharing x's terms. */
export function addRowSims(m: CandidateMatrix, x: SparseVector, w: number, out: Float64Array): void {
  const { colPtr, colRow, colVal } = m;
  for (let j = 0; j < x.idx.length; j++) {
    const t = x.idx[j];
    if (t >= m.features) continue;
    const v = w * x.val[j];
    for (let k = colPtr[t]; k < colPtr[t + 1]; k++) out[colRow[k]] += v * colVal[k];
  }
}

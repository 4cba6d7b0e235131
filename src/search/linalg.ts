/**
 * The little dense and sparse linear algebra that randomized SVD needs (Halko, Martinsson & Tropp
 * 2011), in plain JS over typed arrays. Dense matrices are row-major Float64Array with explicit sizes.
 */

/** A sparse matrix in compressed-row form. */
export interface Csr {
  rows: number;
  cols: number;
  rowStart: Uint32Array;
  col: Uint32Array;
  val: Float32Array;
}

/** Y = X · W, with X sparse (n×v) and W dense (v×l). */
function csrTimesDense(x: Csr, w: Float64Array, l: number): Float64Array {
  const y = new Float64Array(x.rows * l);
  for (let i = 0; i < x.rows; i++) {
    const yo = i * l;
    for (let p = x.rowStart[i]; p < x.rowStart[i + 1]; p++) {
      const v = x.val[p];
      const wo = x.col[p] * l;
      for (let c = 0; c < l; c++) y[yo + c] += v * w[wo + c];
    }
  }
  return y;
}

/** Z = Xᵀ · Q, with X sparse (n×v) and Q dense (n×l). */
function csrTransposeTimesDense(x: Csr, q: Float64Array, l: number): Float64Array {
  const z = new Float64Array(x.cols * l);
  for (let i = 0; i < x.rows; i++) {
    const qo = i * l;
    for (let p = x.rowStart[i]; p < x.rowStart[i + 1]; p++) {
      const v = x.val[p];
      const zo = x.col[p] * l;
      for (let c = 0; c < l; c++) z[zo + c] += v * q[qo + c];
    }
  }
  return z;
}

/** Aᵀ·A for a dense n×l matrix (l×l, symmetric). */
function gram(a: Float64Array, n: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let r = 0; r < l; r++) {
      const ar = a[o + r];
      if (ar === 0) continue;
      const go = r * l;
      for (let c = r; c < l; c++) g[go + c] += ar * a[o + c];
    }
  }
  for (let r = 0; r < l; r++) for (let c = 0; c < r; c++) g[r * l + c] = g[c * l + r];
  return g;
}

/**
 * Orthonormalise the columns of a dense n×l matrix in place (Cholesky QR, done twice for
 * stability — "CholeskyQR2"). Columns that collapse are zeroed rather than failing.
 */
function orthonormalize(a: Float64Array, n: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const g = gram(a, n, l);
    // Cholesky G = Rᵀ R, upper-triangular R; a tiny ridge keeps it positive definite.
    const r = new Float64Array(l * l);
    let trace = 0;
    for (let i = 0; i < l; i++) trace += g[i * l + i];
    const ridge = 1e-12 * (trace / l || 1);
    for (let i = 0; i < l; i++) {
      for (let j = i; j < l; j++) {
        let s = g[i * l + j] + (i === j ? ridge : 0);
        for (let k = 0; k < i; k++) s -= r[k * l + i] * r[k * l + j];
        if (i === j) r[i * l + i] = s > 0 ? Math.sqrt(s) : 0;
        else r[i * l + j] = r[i * l + i] > 0 ? s / r[i * l + i] : 0;
      }
    }
    // A ← A R⁻¹, row by row (forward substitution on each row).
    const row = new Float64Array(l);
    for (let i = 0; i < n; i++) {
      const o = i * l;
      for (let j = 0; j < l; j++) {
        let s = a[o + j];
        for (let k = 0; k < j; k++) s -= row[k] * r[k * l + j];
        row[j] = r[j * l + j] > 0 ? s / r[j * l + j] : 0;
      }
      a.set(row, o);
    }
  }
}

/** Eigen-decomposition of a symmetric l×l matrix by cyclic Jacobi: values descending, vectors as columns. */
function symmetricEigen(m: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  const MAX_SWEEPS = 60;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q] - a[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => a[y * l + y] - a[x * l + x]);
  const values = new Float64Array(l);
  const vectors = new Float64Array(l * l);
  order.forEach((src, dst) => {
    values[dst] = a[src * l + src];
    for (let k = 0; k < l; k++) vectors[k * l + dst] = v[k * l + src];
  });
  return { values, vectors };
}

/** A deterministic standard-normal generator (Box–Muller over a 32-bit LCG), so builds are reproducible. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * Top-`rank` right singular vectors and values of sparse X (n×v): V (v×rank, row-major) and σ.
 *
 * @example
 * const { v, sigma } = randomizedSvd(x, 128); // word vectors are the rows of v
 */
export function randomizedSvd(
  x: Csr,
  rank: number,
  opts: { oversample?: number; powerIterations?: number; seed?: number } = {},
): { v: Float64Array; sigma: Float64Array; rank: number } {
  const l = Math.min(rank + (opts.oversample ?? 10), x.cols, x.rows);
  const k = Math.min(rank, l);
  const rnd = gaussian(opts.seed ?? 7);
  const omega = new Float64Array(x.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rnd();
  let y = csrTimesDense(x, omega, l);
  // Power iterations re-orthonormalise on the word side only: the paper side (up to 100k rows)
  // costs rows × l² per pass, so it is orthonormalised once, at the end.
  for (let it = 0; it < (opts.powerIterations ?? 2); it++) {
    const z = csrTransposeTimesDense(x, y, l);
    orthonormalize(z, x.cols, l);
    y = csrTimesDense(x, z, l);
  }
  orthonormalize(y, x.rows, l);
  // B = Qᵀ X (l×v); its SVD via the eigenvectors of B Bᵀ = (Xᵀ Q)ᵀ (Xᵀ Q).
  const bt = csrTransposeTimesDense(x, y, l); // v×l = Bᵀ
  const bbt = gram(bt, x.cols, l);
  const { values, vectors } = symmetricEigen(bbt, l);
  const sigma = new Float64Array(k);
  for (let j = 0; j < k; j++) sigma[j] = Math.sqrt(Math.max(0, values[j]));
  // V = Bᵀ U_B Σ⁻¹
  const v = new Float64Array(x.cols * k);
  for (let t = 0; t < x.cols; t++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < l; c++) s += bt[t * l + c] * vectors[c * l + j];
      v[t * k + j] = sigma[j] > 0 ? s / sigma[j] : 0;
    }
  }
  return { v, sigma, rank: k };
}

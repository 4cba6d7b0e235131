import { describe, expect, it } from 'vitest';
import { trainLinearSvm } from './linear-svm.js';
import { sparseCosineFew, sparseDot, TfidfVectorizer, tfidfWords } from './tfidf.js';

describe('TfidfVectorizer', () => {
  const docs = ['Graph neural networks', 'graph neural nets for molecules', 'Diffusion models for images', 'the cat'];
  it('reads words as scikit-learn does: lower case, accents off, stop words out', () => {
    expect(tfidfWords('Café-Net: the GRAPH of x_1 and 3d')).toEqual(['cafe', 'net', 'graph', 'x_1']);
  });
  it('keeps unigrams and bigrams within the document-frequency bounds, the most frequent first', () => {
    const v = TfidfVectorizer.fit(docs, { maxFeatures: 3, maxDf: 0.6, minDf: 2 });
    // "graph", "neural", "graph neural" are in 2 of 4 docs; "for" is a stop word; the rest in one.
    expect(v.terms).toEqual(['graph', 'graph neural', 'neural']);
    // smooth idf: ln((1 + 4) / (1 + 2)) + 1
    expect(v.idf[0]).toBeCloseTo(Math.log(5 / 3) + 1, 6);
    const row = v.transform('graph graph neural');
    // tf 2 → 1 + ln 2 for "graph"; 1 for the others; then unit length.
    const raw = [1 + Math.log(2), 1, 1];
    const norm = Math.hypot(...raw);
    expect([...row.idx]).toEqual([0, 1, 2]);
    expect(row.val[0]).toBeCloseTo(raw[0] / norm, 6);
    expect(row.val[2]).toBeCloseTo(raw[2] / norm, 6);
    expect(v.transform('nothing known').idx).toHaveLength(0);
  });
});

describe('trainLinearSvm', () => {
  it('separates two topics and ranks an unseen paper of the positive topic first', () => {
    const texts = [
      ...Array.from({ length: 6 }, (_, i) => `graph neural network message passing node ${i}`),
      ...Array.from({ length: 30 }, (_, i) => `diffusion image generation sampler pixel ${i}`),
    ];
    const v = TfidfVectorizer.fit(texts, { maxFeatures: 100, maxDf: 1, minDf: 2 });
    const rows = texts.map((t) => v.transform(t));
    const labels = Int8Array.from(texts.map((_, i) => (i < 3 ? 1 : -1)));
    const m = trainLinearSvm(rows, labels, v.features, { c: 0.01, balanced: true });
    const score = (t: string) => sparseDot(v.transform(t), m.w) + m.bias;
    expect(score('message passing on a graph')).toBeGreaterThan(score('a diffusion sampler'));
    // Warm-starting from the solution converges at once to the same model.
    const again = trainLinearSvm(rows, labels, v.features, { c: 0.01, balanced: true, alpha: m.alpha });
    expect(again.iterations).toBeLessThanOrEqual(2);
    expect(again.bias).toBeCloseTo(m.bias, 3);
  });
});

describe('sparseCosineFew', () => {
  it('equals the dense dot product, for terms at the ends, the middle and missing', () => {
    const row = (pairs: Array<[number, number]>) => ({
      idx: Int32Array.from(pairs.map((p) => p[0])),
      val: Float32Array.from(pairs.map((p) => p[1])),
    });
    const long = row([
      [0, 0.5],
      [3, 0.25],
      [7, 0.125],
      [9, 2],
    ]);
    const dense = new Float64Array(10);
    for (let j = 0; j < long.idx.length; j++) dense[long.idx[j]] = long.val[j];
    for (const short of [
      row([[0, 2]]),
      row([[9, 1]]),
      row([[1, 1]]),
      row([
        [3, 4],
        [8, 1],
        [9, 0.5],
      ]),
      row([]),
    ])
      expect(sparseCosineFew(short, long)).toBe(sparseDot(short, dense));
    expect(
      sparseCosineFew(
        row([
          [3, 4],
          [8, 1],
          [9, 0.5],
        ]),
        long,
      ),
    ).toBe(2);
  });
});

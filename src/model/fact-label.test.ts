import { describe, expect, it } from 'vitest';
import type { ResultFact } from '../facts/fact.js';
import { factLabel, formatNumber, topFacts } from './fact-label.js';

function fact(over: Partial<ResultFact>): ResultFact {
  return {
    span: 's',
    value: 1,
    value_max: null,
    unit: 'x',
    kind: 'speedup',
    metric: null,
    setting: null,
    baseline: null,
    ...over,
  };
}

describe('factLabel', () => {
  const cases: Array<[Partial<ResultFact>, string]> = [
    [{ value: 1.79, metric: 'decoding', setting: 'CPU' }, '1.79× faster decoding · CPU'],
    [{ value: 62, unit: '%', kind: 'reduction', metric: 'KV cache' }, '−62% KV cache'],
    [{ value: 2.5, unit: 'x', kind: 'reduction', metric: 'FLOPs' }, '2.5× less FLOPs'],
    [{ value: 2.8, value_max: 5.8, metric: 'speed' }, '2.8–5.8× faster'],
    [
      { value: 1.8, unit: 'points', kind: 'improvement', metric: 'average performance' },
      '+1.8 points average performance',
    ],
    [{ value: 85.3, unit: '%', kind: 'score', metric: 'accuracy', setting: 'MMLU' }, '85.3% accuracy · MMLU'],
    [{ value: 0.972, unit: '', kind: 'score', metric: 'AUC-ROC' }, '0.972 AUC-ROC'],
    [{ value: 40, unit: '%', kind: 'speedup', metric: 'training time' }, '40% faster training time'],
    [{ value: 7e9, unit: 'parameters', kind: 'scale', metric: 'parameters' }, '7B parameters'],
    [{ value: 57, unit: 'pp', kind: 'improvement', metric: 'jailbreak success rate' }, '+57 pp jailbreak success rate'],
  ];
  for (const [f, want] of cases) it(want, () => expect(factLabel(fact(f))).toBe(want));

  it('cuts a long metric at a word', () => {
    expect(
      factLabel(fact({ value: 3, metric: 'share of listed defective Latin lemmata that are non-defective' })),
    ).toBe('3× faster share of listed defective…');
  });
});

describe('topFacts and formatNumber', () => {
  it('puts results before scale, in order, at most n', () => {
    const a = fact({ kind: 'scale', value: 1 });
    const b = fact({ kind: 'score', value: 2 });
    const c = fact({ kind: 'speedup', value: 3 });
    expect(topFacts([a, b, c]).map((f) => f.value)).toEqual([2, 3]);
    expect(topFacts([a], 2)).toEqual([a]);
  });

  it('writes large numbers with a suffix and others as written', () => {
    expect([15e12, 405e9, 1.2e6, 28716, 0.0079, 99.2].map(formatNumber)).toEqual([
      '15T',
      '405B',
      '1.2M',
      '28,716',
      '0.0079',
      '99.2',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import {
  factRanking,
  isListableTerm,
  type RankingQuery,
  rankingPath,
  rankingTitle,
  unitFromParam,
  unitParam,
} from './result-ranking.js';

const q = (over: Partial<RankingQuery>): RankingQuery => ({
  kind: 'speedup',
  metric: null,
  setting: null,
  unit: null,
  period: 'all',
  ...over,
});

describe('rankingTitle', () => {
  it.each([
    [q({ metric: 'decoding', period: 'month' }), 'Largest claimed decoding speedups this month'],
    [q({ setting: 'GPU', period: 'week' }), 'Largest claimed speedups on GPU this week'],
    [q({ kind: 'reduction', metric: 'KV cache' }), 'Largest claimed reductions in KV cache'],
    [q({ kind: 'improvement', period: 'year' }), 'Largest claimed improvements this year'],
    [q({ kind: 'score', setting: 'MMLU' }), 'MMLU scores'],
    [q({ kind: 'score', metric: 'accuracy', setting: 'MMLU' }), 'MMLU accuracy scores'],
    [q({ kind: 'score', metric: 'mIoU' }), 'mIoU scores'],
    [q({ kind: 'score' }), 'Highest reported scores'],
    [q({ kind: 'scale', metric: 'parameters' }), 'Largest reported scale: parameters'],
  ])('%o → %s', (query, title) => {
    expect(rankingTitle(query)).toBe(title);
  });
});

describe('rankingPath', () => {
  it('leaves defaults out, so one ranking has one address', () => {
    expect(rankingPath(q({}))).toBe('/results/speedup');
    expect(rankingPath(q({ metric: 'KV cache', setting: 'GPU', period: 'month' }), 2)).toBe(
      '/results/speedup?metric=KV%20cache&setting=GPU&period=month&page=2',
    );
  });
  it('names units in the URL, the bare score as "none"', () => {
    expect(rankingPath(q({ kind: 'score', unit: '' }))).toBe('/results/score?unit=none');
    expect(rankingPath(q({ unit: '%' }))).toBe('/results/speedup?unit=%25');
    expect(unitFromParam(unitParam(''))).toBe('');
    expect(unitFromParam('x')).toBe('x');
  });
  it('gives the API and feed addresses with their prefix and extension', () => {
    expect(rankingPath(q({ period: 'week' }), 1, '/feeds/results/', '.atom')).toBe(
      '/feeds/results/speedup.atom?period=week',
    );
    expect(rankingPath(q({}), 3, '/api/results/')).toBe('/api/results/speedup?page=3');
  });
});

describe('factRanking', () => {
  it('is the ranking of the fact’s kind, metric and unit, all time', () => {
    expect(factRanking({ kind: 'reduction', metric: 'KV  cache', unit: '%' })).toEqual(
      q({ kind: 'reduction', metric: 'KV cache', unit: '%' }),
    );
  });
  it('drops a generic or missing metric: its ranking is the kind’s own', () => {
    expect(factRanking({ kind: 'speedup', metric: 'speed', unit: 'x' }).metric).toBeNull();
    expect(factRanking({ kind: 'score', metric: null, unit: '' }).metric).toBeNull();
    expect(factRanking({ kind: 'score', metric: 'a'.repeat(81), unit: '%' }).metric).toBeNull();
  });
  it('lists only terms with a letter that are not generic', () => {
    expect(isListableTerm('COCO')).toBe(true);
    expect(isListableTerm('1')).toBe(false);
    expect(isListableTerm('Speed')).toBe(false);
  });
});

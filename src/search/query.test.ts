import { describe, expect, it } from 'vitest';
import { type ParsedQuery, parseDateBound, parseQuery } from './query.js';

function pq(over: Omit<Partial<ParsedQuery>, 'filters'> & { filters?: Partial<ParsedQuery['filters']> }): ParsedQuery {
  return { words: [], phrases: [], excluded: [], notes: [], ...over, filters: { authors: [], ...over.filters } };
}

describe('parseQuery', () => {
  it.each<[string, ParsedQuery]>([
    ['', pq({})],
    ['   ', pq({})],
    ['graph neural networks', pq({ words: ['graph', 'neural', 'networks'] })],
    ['"large language model" agents', pq({ phrases: ['large language model'], words: ['agents'] })],
    ['diffusion -survey -"image editing"', pq({ words: ['diffusion'], excluded: ['survey', 'image', 'editing'] })],
    [
      'author:hinton author:"Yann LeCun" vision',
      pq({ words: ['vision'], filters: { authors: ['hinton', 'Yann LeCun'] } }),
    ],
    ['cat:cs.CL translation', pq({ words: ['translation'], filters: { category: 'cs.CL' } })],
    ['org:Apple', pq({ filters: { org: 'apple' } })],
    ['after:2024 before:2024-05', pq({ filters: { after: '2024-01-01', before: '2024-05-31' } })],
    ['before:2024-02-29 after:2023-02-28', pq({ filters: { before: '2024-02-29', after: '2023-02-28' } })],
    ['has:code RL', pq({ words: ['RL'], filters: { hasCode: true } })],
    ['HAS:CODE', pq({ filters: { hasCode: true } })],
    ['re:invent', pq({ words: ['re', 'invent'] })],
    ['BERT: pretraining', pq({ words: ['BERT:', 'pretraining'] })],
    ['state-of-the-art', pq({ words: ['state-of-the-art'] })],
    ['- lone dash', pq({ words: ['-', 'lone', 'dash'] })],
    ['\u201cquoted smartly\u201d', pq({ phrases: ['quoted smartly'] })],
  ])('%j', (q, expected) => {
    expect(parseQuery(q)).toEqual(expected);
  });

  it.each<[string, Partial<ParsedQuery>]>([
    ['"unbalanced quote here', { words: ['unbalanced', 'quote', 'here'] }],
    ['after:yesterday', { words: ['after', 'yesterday'] }],
    ['before:2024-13', { words: ['before', '2024-13'] }],
    ['after:2023-02-29', { words: ['after', '2023-02-29'] }],
    ['cat:"not a category"', { words: ['cat', 'not', 'a', 'category'] }],
    ['has:tests', { words: ['has', 'tests'] }],
    ['-author:smith', { words: ['author', 'smith'] }],
    ['after:2025 before:2024', { words: [] }],
  ])('degrades %j to words with a note', (q, expected) => {
    const r = parseQuery(q);
    expect(r.words).toEqual(expected.words);
    expect(r.notes.length).toBe(1);
  });

  it('cuts very long queries and counts the parts it keeps', () => {
    const r = parseQuery('word '.repeat(2000));
    expect(r.words.length).toBe(32);
    expect(r.notes.length).toBe(2);
  });

  it('keeps SQL and FTS operators as plain text', () => {
    expect(parseQuery("'; DROP TABLE papers; -- NEAR(a b) OR x*").words).toEqual([
      "';",
      'DROP',
      'TABLE',
      'papers;',
      '--',
      'NEAR(a',
      'b)',
      'OR',
      'x*',
    ]);
  });

  it('reads date bounds', () => {
    expect(parseDateBound('2024-02', 'last')).toBe('2024-02-29');
    expect(parseDateBound('2024', 'first')).toBe('2024-01-01');
    expect(parseDateBound('24-01-01', 'first')).toBeNull();
  });
});

describe('parseQuery: result fact terms', () => {
  it('reads kinds with comparisons, kind:, metric:, setting: and has:results as one fact condition', () => {
    const q = parseQuery('decoding speedup:>2 setting:GPU metric:"KV  cache" has:results');
    expect(q.words).toEqual(['decoding']);
    expect(q.filters.hasResults).toBe(true);
    expect(q.filters.fact).toEqual({
      kind: 'speedup',
      compare: { op: '>', value: 2 },
      setting: 'gpu',
      metric: 'kv cache',
    });
    expect(parseQuery('reduction:>=50%').filters.fact).toEqual({ kind: 'reduction', compare: { op: '>=', value: 50 } });
    expect(parseQuery('scale:7B').filters.fact).toEqual({ kind: 'scale', compare: { op: '>=', value: 7e9 } });
    expect(parseQuery('speedup:<=1.5x').filters.fact?.compare).toEqual({ op: '<=', value: 1.5 });
    expect(parseQuery('kind:Reduction').filters.fact).toEqual({ kind: 'reduction' });
  });

  it('reads malformed fact terms as words, with a note', () => {
    const a = parseQuery('speedup:lots');
    expect(a.filters.fact).toBeUndefined();
    expect(a.words).toEqual(['speedup', 'lots']);
    expect(a.notes[0]).toContain('speedup: needs a number');
    const b = parseQuery('kind:faster');
    expect(b.filters.fact).toBeUndefined();
    expect(b.notes[0]).toContain('kind: is one of speedup, reduction, improvement, score, scale');
    expect(parseQuery('has:nothing').notes[0]).toContain('has: only knows "code" and "results"');
  });
});

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

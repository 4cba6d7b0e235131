import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/seeded-random.js';
import { GrowableU32 } from './growable.js';
import { termOf, tokenize } from './tokenize.js';
import { WordTable } from './word-table.js';

/** A table numbering terms as a vocabulary would, with the calls to `resolve` counted. */
function termTable(maxWords?: number) {
  const terms: string[] = [];
  const ids = new Map<string, number>();
  let resolved = 0;
  const table = new WordTable((word) => {
    resolved++;
    const t = termOf(word);
    if (t === null) return -1;
    if (!ids.has(t)) ids.set(t, terms.push(t) - 1);
    return ids.get(t)!;
  }, maxWords);
  const read = (text: string) => {
    const out = new GrowableU32();
    table.appendIds(text, out);
    return Array.from(out.toArray(), (id) => terms[id]);
  };
  return { read, resolvedCount: () => resolved };
}

describe('WordTable', () => {
  it('reads the same terms as tokenize, in order', () => {
    const { read } = termTable();
    for (const text of [
      'Training Large Language Models',
      'networks, NETWORKING; Network!',
      'the of and a',
      '$\\alpha$-divergence in 3D',
      'Глубокое обучение and graphs',
      '大语言模型',
      '',
      `${'x'.repeat(41)} kept`,
    ])
      expect(read(text)).toEqual(tokenize(text));
  });

  it('splits any ASCII text into the same words as the tokenizer pattern', () => {
    const { read } = termTable();
    const rnd = seededRandom(7);
    const chars = 'abcXYZ019 -_.,;:!?()[]{}$\\/\'"@#%^&*+=<>|~`\t\n';
    for (let i = 0; i < 500; i++) {
      const text = Array.from(
        { length: 1 + Math.floor(rnd() * 60) },
        () => chars[Math.floor(rnd() * chars.length)],
      ).join('');
      expect(read(text)).toEqual(tokenize(text));
    }
  });

  it('resolves each distinct word once, whatever its case', () => {
    const { read, resolvedCount } = termTable();
    read('Graph graph GRAPH graphs');
    expect(resolvedCount()).toBe(2);
    expect(read('GRAPHS Graph')).toEqual(['graph', 'graph']);
    expect(resolvedCount()).toBe(2);
  });

  it('stays right as it grows past its first size, and when it starts afresh', () => {
    for (const maxWords of [undefined, 5000]) {
      const { read } = termTable(maxWords);
      const words = Array.from({ length: 100_000 }, (_, i) => `w${i.toString(36)}q`);
      for (let i = 0; i < words.length; i += 100) read(words.slice(i, i + 100).join(' '));
      expect(read(words.slice(0, 50).join(' '))).toEqual(tokenize(words.slice(0, 50).join(' ')));
      expect(read(`${words[99_999]} ${words[12_345]}`)).toEqual(tokenize(`${words[99_999]} ${words[12_345]}`));
    }
  });
});

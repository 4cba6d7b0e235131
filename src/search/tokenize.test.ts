import { describe, expect, it } from 'vitest';
import { tokenize, tokenSpans } from './tokenize.js';

describe('tokenize', () => {
  it.each([
    ['Training Large Language Models', ['train', 'larg', 'languag', 'model']],
    ['networks, networking; NETWORK!', ['network', 'network', 'network']],
    ['the of and a', []],
    ['$\\alpha$-divergence in 3D', ['alpha', 'diverg', '3d']],
    ['Глубокое обучение', ['глубокое', 'обучение']],
    ['大语言模型', ['大', '语', '言', '模', '型']],
    ['', []],
    ['!!! ??? ...', []],
  ])('%j → %j', (text, terms) => {
    expect(tokenize(text)).toEqual(terms);
  });

  it('reads ASCII text (its fast path) exactly as the Unicode path does', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const chars = 'abcXYZ019 -_.,;:!?()[]{}$\\/\'"\t\n';
    for (let i = 0; i < 500; i++) {
      const text = Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => chars[Math.floor(rnd() * chars.length)]).join('');
      // A trailing lone non-ASCII letter sends the text down the Unicode path and adds no term.
      expect(tokenize(text)).toEqual(tokenize(`${text} ü`));
    }
    expect(tokenize('Networks of 3D-GPT4 models')).toEqual(tokenize('Networks of 3D-GPT4 models ü'));
  });

  it('gives the offsets of each word', () => {
    expect([...tokenSpans('Deep nets')]).toEqual([
      { term: 'deep', start: 0, end: 4 },
      { term: 'net', start: 5, end: 9 },
    ]);
  });
});

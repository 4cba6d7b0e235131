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

  it('gives the offsets of each word', () => {
    expect([...tokenSpans('Deep nets')]).toEqual([
      { term: 'deep', start: 0, end: 4 },
      { term: 'net', start: 5, end: 9 },
    ]);
  });
});

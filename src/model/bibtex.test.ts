import { describe, expect, it } from 'vitest';
import { bibtex } from './bibtex.js';

describe('bibtex', () => {
  it('builds an arXiv-style entry', () => {
    const b = bibtex({
      arxivId: '2501.01234',
      title: 'The Deep  Nets',
      authors: ['Ada Lovelace', 'Alan Turing'],
      publishedAt: '2025-01-03T00:00:00Z',
      primaryCategory: 'cs.LG',
    });
    expect(b).toBe(
      '@misc{lovelace2025deep,\n      title={The Deep Nets},\n      author={Ada Lovelace and Alan Turing},\n      year={2025},\n      eprint={2501.01234},\n      archivePrefix={arXiv},\n      primaryClass={cs.LG},\n      url={https://arxiv.org/abs/2501.01234}\n}',
    );
  });
  it('keeps braces balanced whatever the title holds', () => {
    const b = bibtex({
      arxivId: 'hep-th/9504118',
      title: 'A } broken {title',
      authors: [],
      publishedAt: null,
      primaryCategory: null,
    });
    expect(b).toContain('title={A  broken {title}}');
    expect(b.startsWith('@misc{anon')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { toBibtex } from './bibtex.js';

describe('toBibtex', () => {
  it('writes an arXiv @misc entry', () => {
    expect(toBibtex({ arxivId: '2501.01234', title: 'Attention  Is\nAll', authors: ['Ada Lovelace', 'Alan Turing'], publishedAt: '2025-01-02T00:00:00Z', primaryCategory: 'cs.CL' })).toBe(
      [
        '@misc{lovelace2025attention,',
        '  title = {Attention Is All},',
        '  author = {Ada Lovelace and Alan Turing},',
        '  year = {2025},',
        '  eprint = {2501.01234},',
        '  archivePrefix = {arXiv},',
        '  primaryClass = {cs.CL},',
        '  url = {https://arxiv.org/abs/2501.01234}',
        '}',
      ].join('\n'),
    );
  });
  it('escapes unbalanced braces so the file stays parseable', () => {
    expect(toBibtex({ arxivId: '2501.00001', title: 'a } b {', authors: [], publishedAt: null, primaryCategory: null })).toContain('title = {a \\} b \\{}');
  });
});

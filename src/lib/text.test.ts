import { describe, expect, it } from 'vitest';
import { abstractText, collapseWhitespace } from './text.js';

describe('abstractText', () => {
  it("keeps arXiv's paragraphs (a line break and indentation) and undoes its hard wraps", () => {
    const raw =
      'Self-supervised video correspondence learning depends on the ability to\naccurately associate pixels.\n  To this end, we\npropose  a method.\n';
    expect(abstractText(raw)).toBe(
      'Self-supervised video correspondence learning depends on the ability to accurately associate pixels.\n\nTo this end, we propose a method.',
    );
  });

  it('reads a blank line as a paragraph break and ignores leading indentation (OAI-PMH)', () => {
    expect(abstractText('  First, wrapped\nline.\n\n\nSecond.\n')).toBe('First, wrapped line.\n\nSecond.');
  });

  it('is collapseWhitespace for one-paragraph text', () => {
    const s = 'No  breaks\there, only   spaces ';
    expect(abstractText(s)).toBe(collapseWhitespace(s));
    expect(abstractText('single-\nand multi-policy')).toBe('single- and multi-policy');
  });
});

import { describe, expect, it } from 'vitest';
import { highlight } from './highlight.js';

describe('highlight', () => {
  it('marks matching words by stem and escapes the rest', () => {
    expect(highlight('Deep <b>networks</b> & nets', new Set(['network', 'net']))).toBe(
      'Deep &lt;b&gt;<mark>networks</mark>&lt;/b&gt; &amp; <mark>nets</mark>',
    );
  });
  it('is undefined when nothing matches', () => {
    expect(highlight('Nothing here', new Set(['graph']))).toBeUndefined();
  });
  it('cuts long text to the window with the most matches', () => {
    const text = `${'filler '.repeat(50)}graph theory of graph minors ${'tail '.repeat(50)}`;
    const h = highlight(text, new Set(['graph', 'minor']), 80)!;
    expect(h.startsWith('…')).toBe(true);
    expect(h.endsWith('…')).toBe(true);
    expect(h.match(/<mark>/g)?.length).toBe(3);
    expect(h.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(82);
  });
  it('does not let marked text inject HTML', () => {
    expect(highlight('<script>alert(1)</script>', new Set(['script']))).toBe(
      '&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;',
    );
  });
});

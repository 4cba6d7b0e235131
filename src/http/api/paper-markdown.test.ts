import { describe, expect, it } from 'vitest';
import { prefersMarkdown } from './paper-markdown.js';

describe('content negotiation for a paper as Markdown', () => {
  it('serves Markdown only to those who ask for it above HTML', () => {
    expect(prefersMarkdown('text/markdown')).toBe(true);
    expect(prefersMarkdown('text/markdown, text/html;q=0.9')).toBe(true);
    expect(prefersMarkdown('text/html, text/markdown')).toBe(true); // equal quality: Markdown was named
    expect(prefersMarkdown('text/html, text/markdown;q=0.5')).toBe(false);
    expect(prefersMarkdown('text/markdown;q=0')).toBe(false);
    // What browsers send: never Markdown.
    expect(prefersMarkdown('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe(false);
    expect(prefersMarkdown('*/*')).toBe(false);
    expect(prefersMarkdown(undefined)).toBe(false);
    expect(prefersMarkdown('text/markdown;q=abc')).toBe(false);
  });
});

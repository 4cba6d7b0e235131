/** Collapse arXiv's hard line wraps and double spaces into single spaces. */
export function collapseWhitespace(s: string): string {
  // Only runs of 2+ whitespace, or a lone non-space one (a line break), need replacing: matching
  // every single space as /\s+/ does costs a replacement per word on large imports.
  return s.replace(/\s{2,}|[^\S ]/g, ' ').trim();
}

/** Empty strings and whitespace-only strings become null. */
export function nonEmpty(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const t = s.trim();
  return t === '' ? null : t;
}

/** Collapse arXiv's hard line wraps and double spaces into single spaces. */
export function collapseWhitespace(s: string): string {
  // Only runs of 2+ whitespace, or a lone non-space one (a line break), need replacing: matching
  // every single space as /\s+/ does costs a replacement per word on large imports.
  return s.replace(/\s{2,}|[^\S ]/g, ' ').trim();
}

/**
 * An abstract with arXiv's hard line wraps undone and its paragraphs kept. arXiv starts a new
 * paragraph with a line break followed by indentation ("…settings.\n  To this end…"); other
 * sources use a blank line. Paragraphs are joined by a blank line ("\n\n", which the pages show
 * as paragraphs); inside one, whitespace collapses as in collapseWhitespace.
 *
 * @example
 * abstractText('One\nline.\n  Two.') // 'One line.\n\nTwo.'
 */
export function abstractText(s: string): string {
  if (!s.includes('\n')) return collapseWhitespace(s);
  return s
    .split(/\n[ \t]+(?=\S)|\n[ \t]*\n/)
    .map(collapseWhitespace)
    .filter(Boolean)
    .join('\n\n');
}

/** Empty strings and whitespace-only strings become null. */
export function nonEmpty(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const t = s.trim();
  return t === '' ? null : t;
}

import { html, type SafeHtml } from '../lib/html-template.js';
import { tokenSpans } from './tokenize.js';

/** Abstract snippets are about this long (characters of text, before marks). */
export const SNIPPET_CHARS = 280;

/**
 * HTML-escaped text with the words that match `terms` (index terms, i.e. stems) wrapped in
 * <mark>…</mark>. Long texts are cut to the window of `maxChars` with the most matches, at word
 * boundaries, with "…" where text was left out. Undefined when nothing matches.
 *
 * @example
 * highlight('Deep <b>nets</b>', new Set(['net'])) // 'Deep &lt;b&gt;<mark>nets</mark>&lt;/b&gt;'
 */
export function highlight(text: string, terms: ReadonlySet<string>, maxChars = Infinity): string | undefined {
  const spans = [...tokenSpans(text)].filter((s) => terms.has(s.term));
  if (spans.length === 0) return undefined;
  let from = 0;
  let to = text.length;
  if (text.length > maxChars) {
    // The window starting at some match that covers the most matches; ties go to the earliest.
    let best = 0;
    let bestCount = 0;
    let j = 0;
    for (let i = 0; i < spans.length; i++) {
      while (j < spans.length && spans[j].end - spans[i].start <= maxChars) j++;
      if (j - i > bestCount) {
        bestCount = j - i;
        best = i;
      }
    }
    // Start a little before the first match so it reads in context, at a word boundary.
    const lead = Math.min(Math.floor(maxChars / 4), spans[best].start);
    from = spans[best].start - lead;
    if (from > 0) {
      const space = text.indexOf(' ', from);
      from = space >= 0 && space < spans[best].start ? space + 1 : spans[best].start;
    }
    to = Math.min(text.length, from + maxChars);
    if (to < text.length) {
      const space = text.lastIndexOf(' ', to);
      if (space > from) to = space;
    }
  }
  const parts: SafeHtml[] = [];
  let pos = from;
  for (const s of spans) {
    if (s.start < from || s.end > to) continue;
    parts.push(html`${text.slice(pos, s.start)}<mark>${text.slice(s.start, s.end)}</mark>`);
    pos = s.end;
  }
  return html`${from > 0 ? '…' : ''}${parts}${text.slice(pos, to)}${to < text.length ? '…' : ''}`.value;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML element content and quoted attribute values. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * HTML built with a tagged template that escapes every interpolation by default. Only values that
 * are already `SafeHtml` (the result of `html` itself, or of `sanitized` in lib/markdown.ts) pass
 * through; hostile titles, abstracts, author and organisation names always arrive as text.
 *
 * @example
 * html`<h1>${title}</h1>`                      // title '<script>' renders as &lt;script&gt;
 * html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` // arrays are joined, each item escaped
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

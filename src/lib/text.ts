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

/**
 * Control characters no stored text keeps: NUL (PostgreSQL refuses it in `text`, so one NUL failed
 * a whole import batch there) and the other C0 controls but tab, line feed and carriage return,
 * plus DEL. None carries meaning in a title, an abstract or a name.
 */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const HAS_CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** `s` without NUL and the other control characters (see CONTROL_CHARS). */
export function stripControlChars(s: string): string {
  return HAS_CONTROL_CHARS.test(s) ? s.replace(CONTROL_CHARS, '') : s;
}

/** An imported field that cannot be stored as it is; the message names the field and the limit. */
class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'FieldError';
  }
}

/**
 * The one check every imported text field passes: control characters (NUL …) stripped, and a
 * length limit that refuses rather than cuts (a cut title or abstract is a wrong one; a record
 * this large is a broken one). Throws FieldError naming the field.
 *
 * @example
 * boundedText('A title\u0000', 'title', 2000)   // 'A title'
 * boundedText('x'.repeat(2_000_000), 'abstract', 20_000)
 * // throws FieldError: abstract is 2,000,000 characters; the limit is 20,000
 */
export function boundedText(s: string, field: string, maxChars: number): string {
  if (s.length > maxChars) {
    throw new FieldError(
      field,
      `${field} is ${s.length.toLocaleString('en')} characters; the limit is ${maxChars.toLocaleString('en')}`,
    );
  }
  return stripControlChars(s);
}

/** boundedText for an optional field: null stays null. */
export function boundedOptional(s: string | null, field: string, maxChars: number): string | null {
  return s === null ? null : boundedText(s, field, maxChars);
}

/** A list of strings: at most `maxItems`, each bounded like boundedText (field[i] in messages). */
export function boundedList(xs: string[], field: string, maxItems: number, maxChars: number): string[] {
  if (xs.length > maxItems) {
    throw new FieldError(
      field,
      `${field} has ${xs.length.toLocaleString('en')} entries; the limit is ${maxItems.toLocaleString('en')}`,
    );
  }
  return xs.map((x, i) => boundedText(x, `${field}[${i}]`, maxChars));
}

/**
 * `s` when it is an absolute http(s) address of at most `maxChars`, else null: imported links are
 * shown as links, and `javascript:`, `data:` and relative ones must never reach a page.
 *
 * @example
 * webUrl('https://example.org/p')  // 'https://example.org/p'
 * webUrl('javascript:alert(1)')    // null
 */
export function webUrl(s: string | null | undefined, maxChars: number): string | null {
  if (!s || s.length > maxChars || HAS_CONTROL_CHARS.test(s)) return null;
  const t = s.trim();
  if (!/^https?:\/\/[^\s/]/i.test(t)) return null;
  try {
    const u = new URL(t);
    return u.protocol === 'http:' || u.protocol === 'https:' ? s : null;
  } catch {
    return null;
  }
}

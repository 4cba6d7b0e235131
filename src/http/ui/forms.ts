import { html, type SafeHtml } from '../../lib/html-template.js';
import { CSRF_FIELD } from '../session.js';

/** The hidden CSRF field every state-changing form carries (http/session.ts). */
export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;
}

/** A labelled input. `attrs` are fixed attribute names this program writes (required, maxlength …). */
export function field(
  label: string,
  name: string,
  type: string,
  value = '',
  attrs: Record<string, string | true> = {},
): SafeHtml {
  const extra = Object.entries(attrs).map(([k, v]) => (v === true ? html` ${k}` : html` ${k}="${v}"`));
  return html`<label>${label} <input name="${name}" type="${type}" value="${value}"${extra}></label>`;
}

/** A <select> of fixed options. */
export function select(
  name: string,
  label: string,
  options: readonly string[],
  selected?: string,
  /** A first choice with an empty value (a filter's "any"), shown by this text. */
  blank?: string,
): SafeHtml {
  return html`<select name="${name}" aria-label="${label}">${blank === undefined ? '' : html`<option value=""${selected ? '' : html` selected`}>${blank}</option>`}${options.map((o) => html`<option${o === selected ? html` selected` : ''}>${o}</option>`)}</select>`;
}

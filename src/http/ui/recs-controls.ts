import { html, type SafeHtml } from '../../lib/html-template.js';
import type { Viewer } from '../viewer.js';
import { csrfField } from './forms.js';

/**
 * "Not interested" and "More like this" on a card: two plain forms (no JavaScript needed), for
 * signed-in readers only; each posts and comes back to the page it was sent from.
 */
export function recsControls(card: { arxivId: string }, v: Viewer): SafeHtml {
  if (v.actor.kind !== 'user') return html``;
  const base = `/papers/${card.arxivId}`;
  return html`<span class="recs-controls"><form method="post" action="${base}/more-like-this" class="inline">${csrfField(v.csrf)}<button type="submit" class="link" title="Recommend more papers like this one">More like this</button></form><form method="post" action="${base}/not-interested" class="inline">${csrfField(v.csrf)}<button type="submit" class="link" title="Hide this paper from your recommendations and show fewer like it">Not interested</button></form></span>`;
}

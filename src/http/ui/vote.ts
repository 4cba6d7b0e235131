import { html, type SafeHtml } from '../../lib/html-template.js';
import type { Viewer } from '../viewer.js';
import { paperPath } from './card.js';
import { csrfField } from './forms.js';

/**
 * The upvote button of a card or a paper page. Signed in, it is a form that toggles the vote (site.js
 * sends it with fetch and updates the count in place); logged out, the same button is a GET form to
 * the log-in page that comes back to this paper (`next`), so it looks and works like a button.
 */
export function voteControl(
  card: { id: number; arxivId: string; upvotes: number; authorUpvotes: number },
  v: Viewer,
): SafeHtml {
  if (v.actor.kind !== 'user') {
    return html`<form method="get" action="/login" class="votes inline"><input type="hidden" name="next" value="${paperPath(card.arxivId)}"><button type="submit" class="vote-button" title="Log in to upvote"><span aria-hidden="true">▲</span> <span class="n">${card.upvotes}</span><span class="sr-only"> upvotes. Log in to upvote</span></button></form>`;
  }
  const voted = v.voted.has(card.id);
  return html`<span class="vote-box" data-vote-box><form method="post" action="${paperPath(card.arxivId)}/upvote" class="vote inline${voted ? ' voted' : ''}" data-inplace>${csrfField(v.csrf)}
<input type="hidden" name="up" value="${voted ? 0 : 1}"><button type="submit" class="vote-button" aria-pressed="${String(voted)}" title="${voted ? 'Remove upvote' : 'Upvote'}">▲ <span data-upvotes>${card.upvotes}</span></button></form>${
    card.authorUpvotes > 0 ? html` <small class="author-votes">(${card.authorUpvotes} from the authors)</small>` : ''
  }</span>`;
}

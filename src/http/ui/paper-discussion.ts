import { html, type SafeHtml } from '../../lib/html-template.js';
import { sanitized } from '../../lib/markdown.js';
import { type Actor, FLAG_REASONS, HIDE_REASONS, isModerator } from '../../model/actor.js';
import { AUTHOR_VOTE_WEIGHT, CODE_BONUS, COMMENT_WEIGHT, HALF_LIFE_HOURS, WINDOW_DAYS } from '../../model/trending.js';
import type { ThreadNode } from '../../services/comments.js';
import type { TrendingWhy } from '../../services/trending-why.js';
import { paperPath } from './card.js';
import { csrfField, select } from './forms.js';

/**
 * The community's parts of a paper page: the save button, the "why trending" breakdown, the
 * comment thread with its forms, authorship claims and submission flags.
 */
export function saveButton(csrf: string, arxivId: string, saved: boolean): SafeHtml {
  return html`<form method="post" action="${paperPath(arxivId)}/save" class="inline" data-inplace>${csrfField(csrf)}<input type="hidden" name="saved" value="${saved ? 0 : 1}"><button type="submit">${saved ? 'Saved' : 'Save'}</button></form>`;
}

function num(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : '∞';
}

export function trendingWhyBox(w: TrendingWhy): SafeHtml {
  const b = w.breakdown;
  return html`<details class="trending-why"><summary>Why is it trending? Score ${num(b.score)}</summary>
<table><tbody>
<tr><th>votes</th><td>${num(b.votes)}</td><td>${w.input.upvotes} upvotes${w.input.authorUpvotes ? `, ${w.input.authorUpvotes} from the authors at ×${AUTHOR_VOTE_WEIGHT}` : ''}</td></tr>
<tr><th>comments</th><td>${num(b.comments)}</td><td>${w.input.comments} × ${COMMENT_WEIGHT}</td></tr>
<tr><th>code</th><td>${num(b.code)}</td><td>${w.input.hasCode ? `code released: +${CODE_BONUS}` : 'no code link'}</td></tr>
<tr><th>decay</th><td>${num(b.decay)}</td><td>0.5 ^ (${num(w.input.ageHours)} h / ${HALF_LIFE_HOURS} h); 0 after ${WINDOW_DAYS} days</td></tr>
</tbody></table><p>score = (votes + comments + code) × decay.</p></details>`;
}

function commentActions(csrf: string, arxivId: string, n: ThreadNode, actor: Actor): SafeHtml {
  if (actor.kind !== 'user' || n.state === 'deleted') return html``;
  const mod = isModerator(actor);
  return html`<div class="actions">${[
    n.state === 'visible'
      ? html`<details><summary>Reply</summary><form method="post" action="${paperPath(arxivId)}/comments" class="stack">${csrfField(csrf)}<input type="hidden" name="parent_id" value="${n.id}">
<textarea name="comment" required maxlength="10000" rows="3" aria-label="Reply"></textarea><button type="submit">Reply</button></form></details> `
      : '',
    n.mine && n.state === 'visible' && n.source !== null
      ? html`<details><summary>Edit</summary><form method="post" action="/comments/${n.id}/edit" class="stack">${csrfField(csrf)}<textarea name="comment" required maxlength="10000" rows="3" aria-label="Edit">${n.source}</textarea><button type="submit">Save</button></form></details> `
      : '',
    n.mine || mod
      ? html`<form method="post" action="/comments/${n.id}/delete" class="inline">${csrfField(csrf)}<button type="submit">Delete</button></form> `
      : '',
    !n.mine && n.state === 'visible'
      ? html`<form method="post" action="/comments/${n.id}/flag" class="inline">${csrfField(csrf)}${select('reason', 'Flag reason', FLAG_REASONS)}<button type="submit">Flag</button></form> `
      : '',
    mod && n.state === 'hidden'
      ? html`<form method="post" action="/moderation/comments/${n.id}/unhide" class="inline">${csrfField(csrf)}<button type="submit">Unhide</button></form>`
      : '',
    mod && n.state !== 'hidden'
      ? html`<form method="post" action="/moderation/comments/${n.id}/hide" class="inline">${csrfField(csrf)}${select('reason', 'Hide reason', HIDE_REASONS)}<button type="submit">Hide</button></form>`
      : '',
  ]}</div>`;
}

function commentNode(csrf: string, arxivId: string, n: ThreadNode, actor: Actor): SafeHtml {
  const meta =
    n.state === 'deleted'
      ? html`<span class="meta">[deleted]</span>`
      : html`<span class="meta"><a href="/users/${n.author ?? ''}">${n.author ?? ''}</a> · <time datetime="${n.createdAt}">${n.createdAt.slice(0, 16).replace('T', ' ')}</time>${n.edited ? html` · <a href="/comments/${n.id}/history">edited</a>` : ''}${n.state === 'hidden' ? ` · hidden by a moderator (${n.hiddenReason ?? ''})` : ''}</span>`;
  const body =
    n.html !== null
      ? html`<div class="body">${sanitized(n.html)}</div>`
      : n.state === 'hidden'
        ? html`<div class="body"><em>[hidden by a moderator]</em></div>`
        : '';
  return html`<article class="comment" id="comment-${n.id}" data-state="${n.state}">${meta}${body}${commentActions(csrf, arxivId, n, actor)}${n.children.map((c) => commentNode(csrf, arxivId, c, actor))}</article>`;
}

export function commentSection(csrf: string, arxivId: string, thread: ThreadNode[], actor: Actor): SafeHtml {
  const form =
    actor.kind === 'user'
      ? html`<form method="post" action="${paperPath(arxivId)}/comments" class="comment-form" id="new-comment">${csrfField(csrf)}
<label for="comment-body">Add to the discussion</label>
<textarea id="comment-body" name="comment" required maxlength="10000" rows="5" placeholder="Ask the authors a question, point to related work, share a result…"></textarea>
<div class="comment-form-foot"><span class="muted small">Markdown: **bold**, _italic_, \`code\`, [link](https://…)</span><button type="submit" class="primary">Comment</button></div></form>`
      : html`<div class="comment-login"><p><strong>Join the discussion.</strong> Log in or sign up to comment, upvote and save papers.</p><p><a class="button primary" href="/login?next=${encodeURIComponent(`${paperPath(arxivId)}#discussion`)}">Log in</a> <a class="button" href="/signup">Sign up</a></p></div>`;
  return html`<div class="comments">${thread.map((n) => commentNode(csrf, arxivId, n, actor))}${form}</div>`;
}

/** "Are you an author?": pick your slot among the listed authors; an admin approves. */
export function claimForm(csrf: string, arxivId: string, authors: string[], claimed: Map<number, string>): SafeHtml {
  const claimedList = [...claimed].map(
    ([i, u], k) => html`${k > 0 ? '; ' : ''}${authors[i] ?? '?'} is <a href="/users/${u}">@${u}</a>`,
  );
  const options = authors.map((a, i) => (claimed.has(i) ? '' : html`<option value="${i}">${a}</option>`));
  const open = authors.some((_, i) => !claimed.has(i));
  return html`${claimed.size > 0 ? html`<span class="claimed">${claimedList}.</span> ` : ''}${open ? html`<details class="inline"><summary>Claim authorship</summary><form method="post" action="${paperPath(arxivId)}/claim">${csrfField(csrf)}<select name="position" aria-label="Author">${options}</select><button type="submit">Claim</button></form></details>` : ''}`;
}

/** Flag a paper's community submission for moderators (shown to signed-in users who did not submit it). */
export function flagSubmissionForm(csrf: string, submissionId: number): SafeHtml {
  return html`<details class="inline"><summary>Flag this submission</summary><form method="post" action="/submissions/${submissionId}/flag" class="inline">${csrfField(csrf)}${select('reason', 'Flag reason', FLAG_REASONS)}<button type="submit">Flag</button></form></details>`;
}

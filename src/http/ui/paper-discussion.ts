import { escapeHtml as e } from '../../lib/html.js';
import { type Actor, FLAG_REASONS, HIDE_REASONS, isModerator } from '../../model/actor.js';
import { AUTHOR_VOTE_WEIGHT, CODE_BONUS, COMMENT_WEIGHT, HALF_LIFE_HOURS, WINDOW_DAYS } from '../../model/trending.js';
import type { ThreadNode } from '../../services/comments.js';
import type { TrendingWhy } from '../../services/trending-why.js';
import { csrfInput } from './community-layout.js';

/**
 * Pieces of a paper page that belong to the community: the upvote and save buttons, the
 * "why trending" breakdown and the comment thread. The site's paper page (and cards) embed them.
 */
export function upvoteButton(
  csrf: string,
  arxivId: string,
  upvotes: number,
  voted: boolean,
  authorUpvotes = 0,
): string {
  return `<span class="vote-box" data-vote-box><form method="post" action="/papers/${e(arxivId)}/upvote" class="vote inline${voted ? ' voted' : ''}" data-inplace>${csrfInput(csrf)}
<input type="hidden" name="up" value="${voted ? 0 : 1}"><button type="submit" aria-pressed="${voted}" title="${voted ? 'Remove upvote' : 'Upvote'}">▲ <span data-upvotes>${upvotes}</span></button></form>${
    authorUpvotes > 0 ? ` <small class="author-votes">(${authorUpvotes} from the authors)</small>` : ''
  }</span>`;
}

export function saveButton(csrf: string, arxivId: string, saved: boolean): string {
  return `<form method="post" action="/papers/${e(arxivId)}/save" class="inline" data-inplace>${csrfInput(csrf)}<input type="hidden" name="saved" value="${saved ? 0 : 1}"><button type="submit">${saved ? 'Saved' : 'Save'}</button></form>`;
}

function num(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : '∞';
}

export function trendingWhyBox(w: TrendingWhy): string {
  const b = w.breakdown;
  return `<details class="trending-why"><summary>Why is it trending? Score ${num(b.score)}</summary>
<table><tbody>
<tr><th>votes</th><td>${num(b.votes)}</td><td>${w.input.upvotes} upvotes${w.input.authorUpvotes ? `, ${w.input.authorUpvotes} from the authors at ×${AUTHOR_VOTE_WEIGHT}` : ''}</td></tr>
<tr><th>comments</th><td>${num(b.comments)}</td><td>${w.input.comments} × ${COMMENT_WEIGHT}</td></tr>
<tr><th>code</th><td>${num(b.code)}</td><td>${w.input.hasCode ? `code released: +${CODE_BONUS}` : 'no code link'}</td></tr>
<tr><th>decay</th><td>${num(b.decay)}</td><td>0.5 ^ (${num(w.input.ageHours)} h / ${HALF_LIFE_HOURS} h); 0 after ${WINDOW_DAYS} days</td></tr>
</tbody></table><p>score = (votes + comments + code) × decay.</p></details>`;
}

function commentActions(csrf: string, arxivId: string, n: ThreadNode, actor: Actor): string {
  if (actor.kind !== 'user' || n.state === 'deleted') return '';
  const parts: string[] = [];
  if (n.state === 'visible') {
    parts.push(`<details><summary>Reply</summary><form method="post" action="/papers/${e(arxivId)}/comments" class="stack">${csrfInput(csrf)}<input type="hidden" name="parent_id" value="${n.id}">
<textarea name="comment" required maxlength="10000" rows="3" aria-label="Reply"></textarea><button type="submit">Reply</button></form></details>`);
  }
  if (n.mine && n.state === 'visible' && n.source !== null) {
    parts.push(
      `<details><summary>Edit</summary><form method="post" action="/comments/${n.id}/edit" class="stack">${csrfInput(csrf)}<textarea name="comment" required maxlength="10000" rows="3" aria-label="Edit">${e(n.source)}</textarea><button type="submit">Save</button></form></details>`,
    );
  }
  if (n.mine || isModerator(actor)) {
    parts.push(
      `<form method="post" action="/comments/${n.id}/delete" class="inline">${csrfInput(csrf)}<button type="submit">Delete</button></form>`,
    );
  }
  if (!n.mine && n.state === 'visible') {
    parts.push(
      `<form method="post" action="/comments/${n.id}/flag" class="inline">${csrfInput(csrf)}<select name="reason" aria-label="Flag reason">${FLAG_REASONS.map((r) => `<option>${r}</option>`).join('')}</select><button type="submit">Flag</button></form>`,
    );
  }
  if (isModerator(actor)) {
    parts.push(
      n.state === 'hidden'
        ? `<form method="post" action="/moderation/comments/${n.id}/unhide" class="inline">${csrfInput(csrf)}<button type="submit">Unhide</button></form>`
        : `<form method="post" action="/moderation/comments/${n.id}/hide" class="inline">${csrfInput(csrf)}<select name="reason" aria-label="Hide reason">${HIDE_REASONS.map((r) => `<option>${r}</option>`).join('')}</select><button type="submit">Hide</button></form>`,
    );
  }
  return `<div class="actions">${parts.join(' ')}</div>`;
}

function commentNode(csrf: string, arxivId: string, n: ThreadNode, actor: Actor): string {
  const meta =
    n.state === 'deleted'
      ? '<span class="meta">[deleted]</span>'
      : `<span class="meta"><a href="/users/${e(n.author ?? '')}">${e(n.author ?? '')}</a> · <time datetime="${e(n.createdAt)}">${e(n.createdAt.slice(0, 16).replace('T', ' '))}</time>${n.edited ? ` · <a href="/comments/${n.id}/history">edited</a>` : ''}${n.state === 'hidden' ? ` · hidden by a moderator (${e(n.hiddenReason ?? '')})` : ''}</span>`;
  const body =
    n.html !== null
      ? `<div class="body">${n.html}</div>`
      : n.state === 'hidden'
        ? '<div class="body"><em>[hidden by a moderator]</em></div>'
        : '';
  const kids = n.children.map((c) => commentNode(csrf, arxivId, c, actor)).join('');
  return `<article class="comment" id="comment-${n.id}" data-state="${n.state}">${meta}${body}${commentActions(csrf, arxivId, n, actor)}${kids}</article>`;
}

export function commentSection(csrf: string, arxivId: string, thread: ThreadNode[], actor: Actor): string {
  const form =
    actor.kind === 'user'
      ? `<form method="post" action="/papers/${e(arxivId)}/comments" class="stack" id="new-comment">${csrfInput(csrf)}<label>Comment (Markdown) <textarea name="comment" required maxlength="10000" rows="4"></textarea></label><button type="submit">Comment</button></form>`
      : `<p><a href="/login?next=${encodeURIComponent(`/papers/${arxivId}`)}">Log in</a> to comment.</p>`;
  return `<div class="comments">${thread.map((n) => commentNode(csrf, arxivId, n, actor)).join('')}${form}</div>`;
}

/** "Are you an author?": pick your slot among the listed authors; an admin approves. */
export function claimForm(csrf: string, arxivId: string, authors: string[], claimed: Map<number, string>): string {
  const claimedList = [...claimed]
    .map(([i, u]) => `${e(authors[i] ?? '?')} is <a href="/users/${e(u)}">@${e(u)}</a>`)
    .join('; ');
  const options = authors.map((a, i) => (claimed.has(i) ? '' : `<option value="${i}">${e(a)}</option>`)).join('');
  return `${claimedList ? `<span class="claimed">${claimedList}.</span> ` : ''}${options ? `<details class="inline"><summary>Claim authorship</summary><form method="post" action="/papers/${e(arxivId)}/claim">${csrfInput(csrf)}<select name="position" aria-label="Author">${options}</select><button type="submit">Claim</button></form></details>` : ''}`;
}

/** Flag a paper's community submission for moderators (shown to signed-in users who did not submit it). */
export function flagSubmissionForm(csrf: string, submissionId: number): string {
  return `<details class="inline"><summary>Flag this submission</summary><form method="post" action="/submissions/${submissionId}/flag" class="inline">${csrfInput(csrf)}<select name="reason" aria-label="Flag reason">${FLAG_REASONS.map((r) => `<option>${r}</option>`).join('')}</select><button type="submit">Flag</button></form></details>`;
}

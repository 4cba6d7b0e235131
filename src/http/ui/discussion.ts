import type { App } from '../../app.js';
import { html, type SafeHtml } from '../../lib/html-template.js';
import { commentThread } from '../../services/comments.js';
import { trendingClock } from '../../services/trending.js';
import { trendingWhy } from '../../services/trending-why.js';
import { claimsOnPaper } from '../../store/claim-store.js';
import type { PaperCard } from '../../store/listing-store.js';
import { savedPaperIds } from '../../store/saved-store.js';
import { submissionOfPaper } from '../../store/submission-store.js';
import type { Viewer } from '../viewer.js';
import { paperPath } from './card.js';
import { claimForm, commentSection, flagSubmissionForm, saveButton, trendingWhyBox } from './paper-discussion.js';

/** The community's parts of a paper page, placed by the page: tools and "why trending" in the side column, the thread in the main one. */
export interface PaperCommunity {
  /** Save, claim authorship, flag the submission (a log-in link for anonymous readers). */
  tools: SafeHtml;
  /** The trending score's breakdown. */
  why: SafeHtml;
  /** The comment thread with its forms. */
  comments: SafeHtml;
}

/**
 * The community's parts of a paper page: why it is trending, the reader's tools (save, claim,
 * flag) and the comment thread. Anonymous readers all see the same, so their copy can be cached.
 */
export async function paperCommunity(app: App, card: PaperCard, v: Viewer): Promise<PaperCommunity> {
  const why = await trendingWhy(
    app,
    {
      id: card.id,
      upvotes: card.upvotes,
      author_upvotes: card.authorUpvotes,
      comment_count: card.commentCount,
      github_repo: card.githubRepo,
    },
    await trendingClock(app, app.clock.now()),
  );
  const thread = await commentThread(app, v.actor, card.id);
  let tools: SafeHtml;
  if (v.actor.kind === 'user') {
    const me = v.actor;
    const saved = (await savedPaperIds(app.db, me.id, [card.id])).has(card.id);
    const claimed = await claimsOnPaper(app.db, card.id);
    const sub = await submissionOfPaper(app.db, card.id);
    tools = html`<div class="paper-tools">${saveButton(v.csrf, card.arxivId, saved)} ${claimForm(v.csrf, card.arxivId, card.authors, claimed)} ${sub && sub.userId !== me.id ? flagSubmissionForm(v.csrf, sub.id) : ''}</div>`;
  } else {
    const login = `/login?next=${encodeURIComponent(paperPath(card.arxivId))}`;
    tools = html`<div class="paper-tools"><a class="button" href="${login}">Save</a> <a class="button subtle" href="${login}">Claim authorship</a></div>`;
  }
  return { tools, why: trendingWhyBox(why), comments: commentSection(v.csrf, card.arxivId, thread, v.actor) };
}

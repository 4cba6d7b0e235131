import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml, unsafeRaw } from '../../lib/html-template.js';
import { isModerator } from '../../model/actor.js';
import type { App } from '../../services/app.js';
import { commentThread } from '../../services/comments.js';
import type { ServiceContext } from '../../services/context.js';
import { trendingClock } from '../../services/trending.js';
import { trendingWhy } from '../../services/trending-why.js';
import { claimsOnPaper } from '../../store/claim-store.js';
import type { PaperCard } from '../../store/listing-store.js';
import { savedPaperIds } from '../../store/saved-store.js';
import { submissionOfPaper } from '../../store/submission-store.js';
import { allVotedPaperIds } from '../../store/vote-store.js';
import { paperPath } from '../ui/card.js';
import { csrfInput } from '../ui/community-layout.js';
import {
  claimForm,
  commentSection,
  flagSubmissionForm,
  saveButton,
  trendingWhyBox,
  upvoteButton,
} from '../ui/paper-discussion.js';
import { defaultViewHooks, type ViewHooks } from '../ui/view-hooks.js';

/**
 * Fill the site's page slots (user menu, vote control, discussion) for this request. Anonymous
 * visitors all see the same slots, so their pages stay cacheable; a signed-in user's slots carry
 * their votes and CSRF token, so those pages skip the shared cache.
 */
export async function communityViewHooks(app: App, ctx: ServiceContext, req: FastifyRequest): Promise<ViewHooks> {
  const actor = req.actor;
  const discussionFor = async (card: PaperCard, extra: SafeHtml): Promise<SafeHtml> => {
    const why = await trendingWhy(
      ctx,
      {
        id: card.id,
        upvotes: card.upvotes,
        author_upvotes: card.authorUpvotes,
        comment_count: card.commentCount,
        github_repo: card.githubRepo,
      },
      await trendingClock(app, ctx.now()),
    );
    const thread = await commentThread(ctx, actor, card.id);
    return html`${unsafeRaw(trendingWhyBox(why))}${extra}${unsafeRaw(commentSection(req.csrfToken, card.arxivId, thread, actor))}`;
  };
  if (actor.kind !== 'user') {
    return {
      userMenu: () => html`<a href="/login">Log in</a> <a class="button" href="/signup">Sign up</a>`,
      voteControl: (card) =>
        html`<a class="votes" href="/login?next=${encodeURIComponent(paperPath(card.arxivId))}" title="Log in to upvote"><span aria-hidden="true">▲</span> <span class="n">${card.upvotes}</span><span class="sr-only"> upvotes</span></a>`,
      discussion: async (card) => discussionFor(card, html``),
    };
  }
  const voted = await allVotedPaperIds(ctx.db, actor.id);
  return {
    userMenu: () =>
      html`<a href="/submit">Submit</a> <a href="/users/${actor.username}">${actor.username}</a> <a href="/saved">Saved</a> <a href="/settings">Settings</a>${isModerator(actor) ? html` <a href="/moderation">Moderation</a>` : ''}
<form method="post" action="/logout" class="inline">${unsafeRaw(csrfInput(req.csrfToken))}<button type="submit">Log out</button></form>`,
    voteControl: (card) =>
      unsafeRaw(upvoteButton(req.csrfToken, card.arxivId, card.upvotes, voted.has(card.id), card.authorUpvotes)),
    discussion: async (card) => {
      const saved = (await savedPaperIds(ctx.db, actor.id, [card.id])).has(card.id);
      const claimed = await claimsOnPaper(ctx.db, card.id);
      const sub = await submissionOfPaper(ctx.db, card.id);
      const flagSub = sub && sub.userId !== actor.id ? unsafeRaw(flagSubmissionForm(req.csrfToken, sub.id)) : '';
      return discussionFor(
        card,
        html`<p class="paper-tools">${unsafeRaw(saveButton(req.csrfToken, card.arxivId, saved))} ${unsafeRaw(claimForm(req.csrfToken, card.arxivId, card.authors, claimed))} ${flagSub}</p>`,
      );
    },
  };
}

export { defaultViewHooks };

import { html, type SafeHtml } from '../../lib/html-template.js';
import type { PaperCard } from '../../store/listing-store.js';

/**
 * Slots other features fill on every page: the user menu in the header, the vote control in each
 * card's footer, the discussion section of the paper page. The defaults are what an anonymous
 * visitor sees. A feature that personalises them (accounts, votes) sets `request.viewHooks` in a
 * Fastify hook and also `request.skipPageCache = true`, since a personal page must not be cached
 * for everyone.
 */
export interface ViewHooks {
  userMenu(): SafeHtml;
  voteControl(card: PaperCard): SafeHtml;
  discussion(card: PaperCard): Promise<SafeHtml>;
}

export const defaultViewHooks: ViewHooks = {
  userMenu: () => html``,
  voteControl: (card) =>
    html`<span class="votes" title="${card.upvotes} upvotes"><span aria-hidden="true">▲</span> <span class="n">${card.upvotes}</span><span class="sr-only"> upvotes</span></span>`,
  discussion: async (card) =>
    html`<p class="muted">${card.commentCount === 0 ? 'No comments yet.' : `${card.commentCount} comments were imported with this paper.`}</p>`,
};

import type { App } from '../app.js';
import { type Actor, isModerator } from '../model/actor.js';
import { allVotedPaperIds } from '../store/vote-store.js';

/**
 * Who a page is rendered for. Every anonymous visitor is the same viewer, so their pages can be
 * shared from the page cache; a signed-in reader's pages carry their votes and CSRF token and are
 * never stored.
 */
export interface Viewer {
  actor: Actor;
  csrf: string;
  /** Papers this reader has upvoted (empty when anonymous). */
  voted: ReadonlySet<number>;
  moderator: boolean;
}

const NONE: ReadonlySet<number> = new Set();

export async function loadViewer(app: App, actor: Actor, csrf: string): Promise<Viewer> {
  const voted = actor.kind === 'user' ? await allVotedPaperIds(app.db, actor.id) : NONE;
  return { actor, csrf, voted, moderator: isModerator(actor) };
}

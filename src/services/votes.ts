import type { App } from '../app.js';
import { AppError } from '../lib/app-error.js';
import type { Actor } from '../model/actor.js';
import { hasApprovedClaim } from '../store/claim-store.js';
import { findPaperById } from '../store/community-paper-store.js';
import { addVote, removeVote, type VoteResult } from '../store/vote-store.js';
import { requireWriter } from './accounts.js';

/**
 * Upvote or take back an upvote. One vote per user per paper (the store's key), exact counts.
 * A claimed author's vote on their own paper is recorded as an author vote (counted apart).
 *
 * @example
 * await setVote(app, actor, paperId, true) // { changed: true, upvotes: 13, authorUpvotes: 0 }
 */
export async function setVote(app: App, actor: Actor, paperId: number, up: boolean): Promise<VoteResult> {
  const me = requireWriter(actor);
  const paper = await findPaperById(app.db, paperId);
  if (!paper) throw new AppError('not_found', 'No such paper.');
  const r = up
    ? await addVote(app.db, {
        userId: me.id,
        paperId,
        byAuthor: await hasApprovedClaim(app.db, { paperId, userId: me.id }),
        at: app.clock.now().toISOString(),
      })
    : await removeVote(app.db, { userId: me.id, paperId });
  if (r.changed) app.contentVersion.paperChanged(paperId);
  return r;
}

import type { Actor } from '../model/actor.js';
import { isClaimedAuthor } from '../store/claim-store.js';
import { findPaperById } from '../store/community-paper-store.js';
import { addVote, removeVote, type VoteResult } from '../store/vote-store.js';
import { requireWriter } from './accounts.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { rateLimit } from './rate-limits.js';

/**
 * Upvote or take back an upvote. One vote per user per paper (the store's key), exact counts.
 * A claimed author's vote on their own paper is recorded as an author vote (counted apart).
 *
 * @example
 * await setVote(ctx, actor, paperId, true, ip) // { changed: true, upvotes: 13, authorUpvotes: 0 }
 */
export async function setVote(
  ctx: ServiceContext,
  actor: Actor,
  paperId: number,
  up: boolean,
  ip?: string,
): Promise<VoteResult> {
  const me = requireWriter(actor);
  await rateLimit(ctx, 'vote', { account: me.id, ip });
  const paper = await findPaperById(ctx.db, paperId);
  if (!paper) throw new ServiceError('not_found', 'No such paper.');
  if (!up) return removeVote(ctx.db, { userId: me.id, paperId });
  const byAuthor = await isClaimedAuthor(ctx.db, me.id, paperId);
  return addVote(ctx.db, { userId: me.id, paperId, byAuthor, at: ctx.now().toISOString() });
}

import { type Actor, isAdmin } from '../model/actor.js';
import { approvedClaimOnSlot, decideClaim, findClaim, insertClaim, pendingClaims } from '../store/claim-store.js';
import { findPaperById } from '../store/community-paper-store.js';
import { insertLogEntry } from '../store/moderation-store.js';
import { markAuthorVote } from '../store/vote-store.js';
import { requireWriter } from './accounts.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';

/** A user claims to be the author at `position` (0-based) of a paper; an admin decides. */
export async function claimAuthorship(
  ctx: ServiceContext,
  actor: Actor,
  paperId: number,
  position: number,
): Promise<number> {
  const me = requireWriter(actor);
  if (!me.emailVerified) throw new ServiceError('forbidden', 'Confirm your email address before claiming authorship.');
  const paper = await findPaperById(ctx.db, paperId);
  if (!paper) throw new ServiceError('not_found', 'No such paper.');
  if (!Number.isInteger(position) || position < 0 || position >= paper.author_count)
    throw new ServiceError('invalid', 'Choose one of the listed authors.', { field: 'position' });
  if (await approvedClaimOnSlot(ctx.db, paperId, position))
    throw new ServiceError('conflict', 'That author slot is already claimed.');
  const id = await insertClaim(ctx.db, { paperId, userId: me.id, position, at: ctx.now().toISOString() });
  if (id === null) throw new ServiceError('conflict', 'You already claimed this paper.');
  return id;
}

export async function listPendingClaims(ctx: ServiceContext, actor: Actor) {
  if (!isAdmin(actor)) throw new ServiceError('forbidden', 'Admins only.');
  return pendingClaims(ctx.db, 100);
}

/** Approve or reject; approval turns the claimant's existing vote on the paper into an author vote. */
export async function decide(ctx: ServiceContext, actor: Actor, claimId: number, approve: boolean): Promise<void> {
  const me = requireWriter(actor);
  if (!isAdmin(me)) throw new ServiceError('forbidden', 'Admins only.');
  const claim = await findClaim(ctx.db, claimId);
  if (!claim) throw new ServiceError('not_found', 'No such claim.');
  if (approve && (await approvedClaimOnSlot(ctx.db, claim.paper_id, claim.author_position)))
    throw new ServiceError('conflict', 'That author slot is already claimed.');
  const at = ctx.now().toISOString();
  if (!(await decideClaim(ctx.db, claimId, approve ? 'approved' : 'rejected', me.id, at)))
    throw new ServiceError('conflict', 'This claim was already decided.');
  if (approve) await markAuthorVote(ctx.db, claim.user_id, claim.paper_id);
  await insertLogEntry(ctx.db, {
    actorId: me.id,
    action: approve ? 'approve-claim' : 'reject-claim',
    targetType: 'claim',
    targetId: claimId,
    reason: null,
    at,
  });
}

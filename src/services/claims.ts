import type { App } from '../app.js';
import { AppError } from '../lib/app-error.js';
import { type Actor, isAdmin } from '../model/actor.js';
import { decideClaim, findClaim, hasApprovedClaim, insertClaim, pendingClaims } from '../store/claim-store.js';
import { findPaperById } from '../store/community-paper-store.js';
import { insertLogEntry } from '../store/moderation-store.js';
import { markAuthorVote } from '../store/vote-store.js';
import { requireWriter } from './accounts.js';

/** A user claims to be the author at `position` (0-based) of a paper; an admin decides. */
export async function claimAuthorship(app: App, actor: Actor, paperId: number, position: number): Promise<number> {
  const me = requireWriter(actor);
  if (!me.emailVerified) throw new AppError('forbidden', 'Confirm your email address before claiming authorship.');
  const paper = await findPaperById(app.db, paperId);
  if (!paper) throw new AppError('not_found', 'No such paper.');
  if (!Number.isInteger(position) || position < 0 || position >= paper.author_count)
    throw new AppError('invalid', 'Choose one of the listed authors.', { parameter: 'position' });
  if (await hasApprovedClaim(app.db, { paperId, position }))
    throw new AppError('conflict', 'That author slot is already claimed.');
  const id = await insertClaim(app.db, { paperId, userId: me.id, position, at: app.clock.now().toISOString() });
  if (id === null) throw new AppError('conflict', 'You already claimed this paper.');
  return id;
}

export async function listPendingClaims(app: App, actor: Actor) {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'Admins only.');
  return pendingClaims(app.db, 100);
}

/** Approve or reject; approval turns the claimant's existing vote on the paper into an author vote. */
export async function decide(app: App, actor: Actor, claimId: number, approve: boolean): Promise<void> {
  const me = requireWriter(actor);
  if (!isAdmin(me)) throw new AppError('forbidden', 'Admins only.');
  const claim = await findClaim(app.db, claimId);
  if (!claim) throw new AppError('not_found', 'No such claim.');
  if (approve && (await hasApprovedClaim(app.db, { paperId: claim.paper_id, position: claim.author_position })))
    throw new AppError('conflict', 'That author slot is already claimed.');
  const at = app.clock.now().toISOString();
  if (!(await decideClaim(app.db, claimId, approve ? 'approved' : 'rejected', me.id, at)))
    throw new AppError('conflict', 'This claim was already decided.');
  if (approve) {
    await markAuthorVote(app.db, claim.user_id, claim.paper_id);
    app.contentVersion.paperChanged(claim.paper_id);
  }
  await insertLogEntry(app.db, {
    actorId: me.id,
    action: approve ? 'approve-claim' : 'reject-claim',
    targetType: 'claim',
    targetId: claimId,
    reason: null,
    at,
  });
}

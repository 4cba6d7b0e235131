import type { Actor } from '../model/actor.js';
import { claimedPapersOf } from '../store/claim-store.js';
import { recentCommentsOf } from '../store/comment-store.js';
import { papersByIds } from '../store/community-paper-store.js';
import { organizationsOf } from '../store/org-member-store.js';
import { submissionsOf } from '../store/submission-store.js';
import { findUserByUsername } from '../store/user-store.js';
import { paperIdsVotedBy } from '../store/vote-store.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';

/** Items per list on a profile page. */
export const PROFILE_LIST_SIZE = 50;

/** A public profile: submitted papers, upvoted ones (when the user made them public, or to themselves), claimed papers. */
export async function profile(ctx: ServiceContext, actor: Actor, username: string) {
  const user = await findUserByUsername(ctx.db, username);
  if (!user || user.banned) throw new ServiceError('not_found', `No user named ${username}.`);
  const self = actor.kind === 'user' && actor.id === user.id;
  const showUpvotes = self || user.upvotes_public === 1;
  const upvoted = showUpvotes
    ? await papersByIds(ctx.db, await paperIdsVotedBy(ctx.db, user.id, PROFILE_LIST_SIZE))
    : null;
  return {
    username: user.username,
    fullname: user.fullname,
    role: user.role,
    joined: user.created_at,
    self,
    submitted: await submissionsOf(ctx.db, user.id, PROFILE_LIST_SIZE),
    upvoted:
      upvoted?.map((p) => ({ paper_id: p.id, arxiv_id: p.arxiv_id, title: p.title, upvotes: p.upvotes })) ?? null,
    claimed: await claimedPapersOf(ctx.db, user.id),
    comments: await recentCommentsOf(ctx.db, user.id, PROFILE_LIST_SIZE),
    organizations: await organizationsOf(ctx.db, user.id),
  };
}

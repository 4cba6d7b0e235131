import type { App } from '../app.js';
import { AppError } from '../lib/app-error.js';
import type { Actor } from '../model/actor.js';
import { claimedPapersOf } from '../store/claim-store.js';
import { recentCommentsOf } from '../store/comment-store.js';
import { papersByIds } from '../store/community-paper-store.js';
import { organizationsOf } from '../store/org-member-store.js';
import { submissionsOf } from '../store/submission-store.js';
import { findUserByUsername } from '../store/user-store.js';
import { paperIdsVotedBy } from '../store/vote-store.js';

/** Items per list on a profile page. */
const PROFILE_LIST_SIZE = 50;

/** A public profile: submitted papers, upvoted ones (when the user made them public, or to themselves), claimed papers. */
export async function profile(app: App, actor: Actor, username: string) {
  const user = await findUserByUsername(app.db, username);
  if (!user || user.banned) throw new AppError('not_found', `No user named ${username}.`);
  const self = actor.kind === 'user' && actor.id === user.id;
  const showUpvotes = self || user.upvotes_public === 1;
  const upvoted = showUpvotes
    ? await papersByIds(app.db, await paperIdsVotedBy(app.db, user.id, PROFILE_LIST_SIZE))
    : null;
  return {
    username: user.username,
    fullname: user.fullname,
    role: user.role,
    joined: user.created_at,
    self,
    submitted: await submissionsOf(app.db, user.id, PROFILE_LIST_SIZE),
    upvoted:
      upvoted?.map((p) => ({ paper_id: p.id, arxiv_id: p.arxiv_id, title: p.title, upvotes: p.upvotes })) ?? null,
    claimed: await claimedPapersOf(app.db, user.id),
    comments: await recentCommentsOf(app.db, user.id, PROFILE_LIST_SIZE),
    organizations: await organizationsOf(app.db, user.id),
  };
}

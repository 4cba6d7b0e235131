import type { Role } from '../db/schema.js';
import {
  type Actor,
  FLAG_REASONS,
  type FlagReason,
  HIDE_REASONS,
  type HideReason,
  isAdmin,
  isModerator,
  isNewAccount,
  ROLES,
} from '../model/actor.js';
import { findComment, setCommentState, visibleCommentIdsOf } from '../store/comment-store.js';
import {
  type FlagTarget,
  insertFlag,
  insertLogEntry,
  type LogEntry,
  moderationLog,
  moderationQueue,
  type QueueItem,
  resolveFlags,
} from '../store/moderation-store.js';
import { deleteUserSessions } from '../store/session-store.js';
import { findSubmission, setSubmissionHidden, submissionIdsOf } from '../store/submission-store.js';
import { findUserByUsername, updateUser } from '../store/user-store.js';
import { removeAllVotesOf } from '../store/vote-store.js';
import { requireWriter } from './accounts.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { rateLimit } from './rate-limits.js';

/** Items shown on one page of the queue or the log. */
export const MODERATION_PAGE_SIZE = 100;

function requireModerator(actor: Actor) {
  const me = requireWriter(actor);
  if (!isModerator(me)) throw new ServiceError('forbidden', 'Curators and admins only.');
  return me;
}

/** Flag a comment or a submission for moderators. New accounts may not flag. */
export async function flag(
  ctx: ServiceContext,
  actor: Actor,
  input: { targetType: FlagTarget; targetId: number; reason: string; ip?: string },
): Promise<{ recorded: boolean }> {
  const me = requireWriter(actor);
  if (isNewAccount(me, ctx.now(), ctx.config.community.newAccountHours))
    throw new ServiceError('forbidden', `New accounts can flag after ${ctx.config.community.newAccountHours} hours.`);
  if (!FLAG_REASONS.includes(input.reason as FlagReason))
    throw new ServiceError('invalid', `Reason: one of ${FLAG_REASONS.join(', ')}.`, { field: 'reason' });
  if (input.targetType === 'comment') {
    const c = await findComment(ctx.db, input.targetId);
    if (!c || c.deleted_at) throw new ServiceError('not_found', 'No such comment.');
    if (c.user_id === me.id) throw new ServiceError('invalid', 'You cannot flag your own comment.');
  } else if (input.targetType === 'submission') {
    if (!(await findSubmission(ctx.db, input.targetId))) throw new ServiceError('not_found', 'No such submission.');
  } else throw new ServiceError('invalid', 'Flag a comment or a submission.');
  await rateLimit(ctx, 'flag', { account: me.id, ip: input.ip });
  return {
    recorded: await insertFlag(ctx.db, {
      targetType: input.targetType,
      targetId: input.targetId,
      userId: me.id,
      reason: input.reason,
      at: ctx.now().toISOString(),
    }),
  };
}

export async function queue(ctx: ServiceContext, actor: Actor): Promise<QueueItem[]> {
  requireModerator(actor);
  return moderationQueue(ctx.db, MODERATION_PAGE_SIZE);
}

/** The public moderation log: anyone may read who did what, and why. */
export async function publicLog(ctx: ServiceContext, page = 0): Promise<LogEntry[]> {
  return moderationLog(ctx.db, MODERATION_PAGE_SIZE, Math.max(0, page) * MODERATION_PAGE_SIZE);
}

/** Dismiss the flags on an item without acting on it. */
export async function dismissFlags(
  ctx: ServiceContext,
  actor: Actor,
  targetType: FlagTarget,
  targetId: number,
): Promise<void> {
  const me = requireModerator(actor);
  const at = ctx.now().toISOString();
  if ((await resolveFlags(ctx.db, targetType, targetId, at)) > 0) {
    await insertLogEntry(ctx.db, { actorId: me.id, action: 'dismiss-flags', targetType, targetId, reason: null, at });
  }
}

/** Take a submission off the day's list, with a public reason. */
export async function hideSubmission(ctx: ServiceContext, actor: Actor, id: number, reason: string): Promise<void> {
  const me = requireModerator(actor);
  if (!HIDE_REASONS.includes(reason as HideReason))
    throw new ServiceError('invalid', `Reason: one of ${HIDE_REASONS.join(', ')}.`, { field: 'reason' });
  if (!(await findSubmission(ctx.db, id))) throw new ServiceError('not_found', 'No such submission.');
  const at = ctx.now().toISOString();
  await setSubmissionHidden(ctx.db, id, true);
  await resolveFlags(ctx.db, 'submission', id, at);
  await insertLogEntry(ctx.db, {
    actorId: me.id,
    action: 'hide-submission',
    targetType: 'submission',
    targetId: id,
    reason,
    at,
  });
}

/**
 * Ban a user: their sessions end, their comments and submissions are hidden, their votes are
 * withdrawn (counters adjusted), and the log says so. Admins only; admins cannot be banned.
 */
export async function banUser(ctx: ServiceContext, actor: Actor, username: string, reason: string): Promise<void> {
  const me = requireWriter(actor);
  if (!isAdmin(me)) throw new ServiceError('forbidden', 'Admins only.');
  if (!HIDE_REASONS.includes(reason as HideReason))
    throw new ServiceError('invalid', `Reason: one of ${HIDE_REASONS.join(', ')}.`, { field: 'reason' });
  const user = await findUserByUsername(ctx.db, username);
  if (!user) throw new ServiceError('not_found', `No user named ${username}.`);
  if (user.role === 'admin') throw new ServiceError('forbidden', 'Admins cannot be banned; change the role first.');
  const at = ctx.now().toISOString();
  await updateUser(ctx.db, user.id, { banned: 1 });
  await deleteUserSessions(ctx.db, user.id);
  for (const id of await visibleCommentIdsOf(ctx.db, user.id)) {
    await setCommentState(ctx.db, id, { hidden_at: at, hidden_reason: reason, hidden_by: me.id });
  }
  for (const id of await submissionIdsOf(ctx.db, user.id)) await setSubmissionHidden(ctx.db, id, true);
  await removeAllVotesOf(ctx.db, user.id);
  await insertLogEntry(ctx.db, {
    actorId: me.id,
    action: 'ban-user',
    targetType: 'user',
    targetId: user.id,
    reason,
    at,
  });
}

export async function unbanUser(ctx: ServiceContext, actor: Actor, username: string): Promise<void> {
  const me = requireWriter(actor);
  if (!isAdmin(me)) throw new ServiceError('forbidden', 'Admins only.');
  const user = await findUserByUsername(ctx.db, username);
  if (!user) throw new ServiceError('not_found', `No user named ${username}.`);
  await updateUser(ctx.db, user.id, { banned: 0 });
  await insertLogEntry(ctx.db, {
    actorId: me.id,
    action: 'unban-user',
    targetType: 'user',
    targetId: user.id,
    reason: null,
    at: ctx.now().toISOString(),
  });
}

export async function setRole(ctx: ServiceContext, actor: Actor, username: string, role: Role): Promise<void> {
  const me = requireWriter(actor);
  if (!isAdmin(me)) throw new ServiceError('forbidden', 'Admins only.');
  if (!ROLES.includes(role)) throw new ServiceError('invalid', `Role: one of ${ROLES.join(', ')}.`, { field: 'role' });
  const user = await findUserByUsername(ctx.db, username);
  if (!user) throw new ServiceError('not_found', `No user named ${username}.`);
  await updateUser(ctx.db, user.id, { role });
  await insertLogEntry(ctx.db, {
    actorId: me.id,
    action: `set-role-${role}`,
    targetType: 'user',
    targetId: user.id,
    reason: null,
    at: ctx.now().toISOString(),
  });
}

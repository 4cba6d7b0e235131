import type { App } from '../app.js';
import type { Role } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
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

/** Items shown on one page of the queue or the log. */
const MODERATION_PAGE_SIZE = 100;

function requireModerator(actor: Actor) {
  const me = requireWriter(actor);
  if (!isModerator(me)) throw new AppError('forbidden', 'Curators and admins only.');
  return me;
}

/** Flag a comment or a submission for moderators. New accounts may not flag. */
export async function flag(
  app: App,
  actor: Actor,
  input: { targetType: FlagTarget; targetId: number; reason: string },
): Promise<{ recorded: boolean }> {
  const me = requireWriter(actor);
  if (isNewAccount(me, app.clock.now(), app.config.community.newAccountHours))
    throw new AppError('forbidden', `New accounts can flag after ${app.config.community.newAccountHours} hours.`);
  if (!FLAG_REASONS.includes(input.reason as FlagReason))
    throw new AppError('invalid', `Reason: one of ${FLAG_REASONS.join(', ')}.`, { parameter: 'reason' });
  if (input.targetType === 'comment') {
    const c = await findComment(app.db, input.targetId);
    if (!c || c.deleted_at) throw new AppError('not_found', 'No such comment.');
    if (c.user_id === me.id) throw new AppError('invalid', 'You cannot flag your own comment.');
  } else if (input.targetType === 'submission') {
    if (!(await findSubmission(app.db, input.targetId))) throw new AppError('not_found', 'No such submission.');
  } else throw new AppError('invalid', 'Flag a comment or a submission.');
  return {
    recorded: await insertFlag(app.db, {
      targetType: input.targetType,
      targetId: input.targetId,
      userId: me.id,
      reason: input.reason,
      at: app.clock.now().toISOString(),
    }),
  };
}

export async function queue(app: App, actor: Actor): Promise<QueueItem[]> {
  requireModerator(actor);
  return moderationQueue(app.db, MODERATION_PAGE_SIZE);
}

/** The public moderation log: anyone may read who did what, and why. */
export async function publicLog(app: App, page = 0): Promise<LogEntry[]> {
  return moderationLog(app.db, MODERATION_PAGE_SIZE, Math.max(0, page) * MODERATION_PAGE_SIZE);
}

/** Dismiss the flags on an item without acting on it. */
export async function dismissFlags(app: App, actor: Actor, targetType: FlagTarget, targetId: number): Promise<void> {
  const me = requireModerator(actor);
  const at = app.clock.now().toISOString();
  if ((await resolveFlags(app.db, targetType, targetId, at)) > 0) {
    await insertLogEntry(app.db, { actorId: me.id, action: 'dismiss-flags', targetType, targetId, reason: null, at });
  }
}

/** Take a submission off the day's list, with a public reason. */
export async function hideSubmission(app: App, actor: Actor, id: number, reason: string): Promise<void> {
  const me = requireModerator(actor);
  if (!HIDE_REASONS.includes(reason as HideReason))
    throw new AppError('invalid', `Reason: one of ${HIDE_REASONS.join(', ')}.`, { parameter: 'reason' });
  if (!(await findSubmission(app.db, id))) throw new AppError('not_found', 'No such submission.');
  const at = app.clock.now().toISOString();
  await setSubmissionHidden(app.db, id, true);
  await resolveFlags(app.db, 'submission', id, at);
  // What lists hold changes (a submission gone; a user's comments and submissions hidden or back).
  app.contentVersion.everythingChanged();
  await insertLogEntry(app.db, {
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
export async function banUser(app: App, actor: Actor, username: string, reason: string): Promise<void> {
  const me = requireWriter(actor);
  if (!isAdmin(me)) throw new AppError('forbidden', 'Admins only.');
  if (!HIDE_REASONS.includes(reason as HideReason))
    throw new AppError('invalid', `Reason: one of ${HIDE_REASONS.join(', ')}.`, { parameter: 'reason' });
  const user = await findUserByUsername(app.db, username);
  if (!user) throw new AppError('not_found', `No user named ${username}.`);
  if (user.role === 'admin') throw new AppError('forbidden', 'Admins cannot be banned; change the role first.');
  const at = app.clock.now().toISOString();
  await updateUser(app.db, user.id, { banned: 1 });
  await deleteUserSessions(app.db, user.id);
  for (const id of await visibleCommentIdsOf(app.db, user.id)) {
    await setCommentState(app.db, id, { hidden_at: at, hidden_reason: reason, hidden_by: me.id });
  }
  for (const id of await submissionIdsOf(app.db, user.id)) await setSubmissionHidden(app.db, id, true);
  await removeAllVotesOf(app.db, user.id);
  await recordBanChange(app, { actorId: me.id, action: 'ban-user', userId: user.id, reason, at });
}

export async function unbanUser(app: App, actor: Actor, username: string): Promise<void> {
  const me = requireWriter(actor);
  if (!isAdmin(me)) throw new AppError('forbidden', 'Admins only.');
  const user = await findUserByUsername(app.db, username);
  if (!user) throw new AppError('not_found', `No user named ${username}.`);
  await updateUser(app.db, user.id, { banned: 0 });
  const at = app.clock.now().toISOString();
  await recordBanChange(app, { actorId: me.id, action: 'unban-user', userId: user.id, reason: null, at });
}

/** After a ban or unban: what lists hold changes (a user's comments and submissions hidden or back), and the log says so. */
async function recordBanChange(
  app: App,
  c: { actorId: number; action: 'ban-user' | 'unban-user'; userId: number; reason: string | null; at: string },
): Promise<void> {
  app.contentVersion.everythingChanged();
  await insertLogEntry(app.db, {
    actorId: c.actorId,
    action: c.action,
    targetType: 'user',
    targetId: c.userId,
    reason: c.reason,
    at: c.at,
  });
}

export async function setRole(app: App, actor: Actor, username: string, role: Role): Promise<void> {
  const me = requireWriter(actor);
  if (!isAdmin(me)) throw new AppError('forbidden', 'Admins only.');
  if (!ROLES.includes(role)) throw new AppError('invalid', `Role: one of ${ROLES.join(', ')}.`, { parameter: 'role' });
  const user = await findUserByUsername(app.db, username);
  if (!user) throw new AppError('not_found', `No user named ${username}.`);
  await updateUser(app.db, user.id, { role });
  await insertLogEntry(app.db, {
    actorId: me.id,
    action: `set-role-${role}`,
    targetType: 'user',
    targetId: user.id,
    reason: null,
    at: app.clock.now().toISOString(),
  });
}

import { z } from 'zod';
import { badRequest } from '../../lib/app-error.js';
import { isAdmin, ROLES } from '../../model/actor.js';
import { audit } from '../../services/admin.js';
import { decide, listPendingClaims } from '../../services/claims.js';
import { hideComment, unhideComment } from '../../services/comments.js';
import {
  banUser,
  dismissFlags,
  hideSubmission,
  publicLog,
  queue,
  setRole,
  unbanUser,
} from '../../services/moderation.js';
import { findComment } from '../../store/comment-store.js';
import { arxivIdOfPaper } from '../../store/community-paper-store.js';
import { findSubmission } from '../../store/submission-store.js';
import { idParam, text } from '../params.js';
import { handler, redirect } from '../route.js';
import { refererPath } from '../server.js';
import { paperPath } from '../ui/card.js';
import { moderationLogView, moderationQueueView, type QueueRow } from '../ui/community-views.js';
import { communityPage } from '../ui/layout.js';
import { origin } from './admin.js';

/**
 * Moderation (curators and admins, per the route table) and the admin's user and claim decisions.
 * The public log is open to everyone.
 */

export const logPage = handler({ query: z.object({ page: text() }) }, async (c) =>
  communityPage(c, 'Moderation log', moderationLogView(await publicLog(c.app, Math.max(0, idParam(c.query.page))))),
);

export const queuePage = handler({}, async (c) => {
  const items: QueueRow[] = await Promise.all(
    (await queue(c.app, c.actor)).map(async (q): Promise<QueueRow> => {
      if (q.targetType === 'comment') {
        const cm = await findComment(c.app.db, q.targetId);
        const p = cm ? await arxivIdOfPaper(c.app.db, cm.paper_id) : undefined;
        return {
          ...q,
          preview: { html: cm?.body_html ?? '' },
          link: p ? `${paperPath(p.arxivId)}#comment-${q.targetId}` : null,
        };
      }
      const sub = await findSubmission(c.app.db, q.targetId);
      const p = sub ? await arxivIdOfPaper(c.app.db, sub.paper_id) : undefined;
      return { ...q, preview: { text: p?.title ?? '' }, link: p ? paperPath(p.arxivId) : null };
    }),
  );
  const claims = isAdmin(c.actor) ? await listPendingClaims(c.app, c.actor) : [];
  return communityPage(c, 'Moderation', moderationQueueView(c.csrf, items, claims));
});

const Reason = z.object({ reason: text() });

export const hideCommentAction = handler({ body: Reason }, async (c) => {
  await hideComment(c.app, c.actor, idParam(c.params.cid), c.body.reason ?? '');
  return redirect(refererPath(c.req) ?? '/moderation', 303);
});

export const unhideCommentAction = handler({}, async (c) => {
  await unhideComment(c.app, c.actor, idParam(c.params.cid));
  return redirect('/moderation/log', 303);
});

export const hideSubmissionAction = handler({ body: Reason }, async (c) => {
  await hideSubmission(c.app, c.actor, idParam(c.params.sid), c.body.reason ?? '');
  return redirect('/moderation', 303);
});

export const dismiss = handler({ body: z.object({ target_type: text(), target_id: text() }) }, async (c) => {
  const t = c.body.target_type === 'submission' ? 'submission' : 'comment';
  await dismissFlags(c.app, c.actor, t, idParam(c.body.target_id));
  return redirect('/moderation', 303);
});

export const ban = handler({ body: Reason }, async (c) => {
  await banUser(c.app, c.actor, c.params.username ?? '', c.body.reason ?? '');
  await audit(c.app, c.actor, 'user.ban', `user:${c.params.username}`, { reason: c.body.reason ?? '' }, origin(c));
  return redirect('/moderation/log', 303);
});

export const unban = handler({}, async (c) => {
  await unbanUser(c.app, c.actor, c.params.username ?? '');
  await audit(c.app, c.actor, 'user.unban', `user:${c.params.username}`, null, origin(c));
  return redirect('/moderation/log', 303);
});

export const role = handler({ body: z.object({ role: text() }) }, async (c) => {
  const u = c.params.username ?? '';
  // An unknown role is a mistake to report, not a quiet demotion to 'user'.
  const role = ROLES.find((r) => r === c.body.role);
  if (!role) throw badRequest(`Unknown role "${c.body.role ?? ''}": one of ${ROLES.join(', ')}.`, 'role');
  await setRole(c.app, c.actor, u, role);
  await audit(c.app, c.actor, 'user.role', `user:${u}`, { role }, origin(c));
  const from = refererPath(c.req);
  return redirect(from?.startsWith('/admin/users') ? from : `/users/${encodeURIComponent(u)}`, 303);
});

export const decideClaim = handler({ body: z.object({ decision: text() }) }, async (c) => {
  const decision = c.body.decision;
  if (decision !== 'approve' && decision !== 'reject')
    throw badRequest(`Unknown decision "${decision ?? ''}": approve or reject.`, 'decision');
  const id = idParam(c.params.claimId);
  await decide(c.app, c.actor, id, decision === 'approve');
  await audit(c.app, c.actor, `claim.${decision}`, `claim:${id}`, null, origin(c));
  return redirect('/moderation', 303);
});

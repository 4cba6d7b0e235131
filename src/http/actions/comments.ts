import { z } from 'zod';
import type { App } from '../../app.js';
import { notFound } from '../../lib/app-error.js';
import { commentHistory, deleteComment, editMyComment } from '../../services/comments.js';
import { flag } from '../../services/moderation.js';
import { findComment } from '../../store/comment-store.js';
import { arxivIdOfPaper } from '../../store/community-paper-store.js';
import { idParam, text } from '../params.js';
import { handler, redirect } from '../route.js';
import { notice } from '../ui/account-forms.js';
import { paperPath } from '../ui/card.js';
import { historyView } from '../ui/community-views.js';
import { communityPage } from '../ui/layout.js';

/** A comment's own actions: edit, delete, flag, and its edit history. New comments are in papers.ts. */

async function commentPaper(app: App, id: number): Promise<string> {
  const c = await findComment(app.db, id);
  const p = c ? await arxivIdOfPaper(app.db, c.paper_id) : undefined;
  if (!p) throw notFound('No such comment.');
  return p.arxivId;
}

export const edit = handler({ body: z.object({ comment: text() }) }, async (c) => {
  const id = idParam(c.params.cid);
  await editMyComment(c.app, c.actor, id, c.body.comment ?? '');
  return redirect(`${paperPath(await commentPaper(c.app, id))}#comment-${id}`, 303);
});

export const remove = handler({}, async (c) => {
  const id = idParam(c.params.cid);
  const arxivId = await commentPaper(c.app, id);
  await deleteComment(c.app, c.actor, id);
  return redirect(paperPath(arxivId), 303);
});

export const flagComment = handler({ body: z.object({ reason: text() }) }, async (c) => {
  const id = idParam(c.params.cid);
  const arxivId = await commentPaper(c.app, id);
  await flag(c.app, c.actor, { targetType: 'comment', targetId: id, reason: c.body.reason ?? '' });
  return communityPage(
    c,
    'Flagged',
    notice('Thanks', 'Moderators will look at it.', { href: paperPath(arxivId), label: 'Back' }),
  );
});

export const history = handler({}, async (c) => {
  const h = await commentHistory(c.app, c.actor, idParam(c.params.cid));
  return communityPage(c, 'Comment history', historyView(h.current, h.revisions));
});

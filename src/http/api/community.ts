import { z } from 'zod';
import { notFound } from '../../lib/app-error.js';
import type { UserActor } from '../../model/actor.js';
import { postComment } from '../../services/comments.js';
import { readingList, readingListBibtex } from '../../services/reading-list.js';
import { indexPaperFromArxiv, submitPaper } from '../../services/submissions.js';
import { setVote } from '../../services/votes.js';
import { paperOr404 } from '../find-paper.js';
import { text } from '../params.js';
import { handler, json, raw } from '../route.js';

/**
 * The API for taking part: Hugging Face's write endpoints where it has them, paperboy's own for
 * the rest. Authenticated by `Authorization: Bearer <token>` only (the route table asks for the
 * read or write scope). Every route here is described in community-openapi.ts.
 */
const CommentBody = z.object({ comment: z.string().min(1).max(10_000) });
const ArxivBody = z.object({ arxivId: z.string().min(1).max(200) });

export const whoami = handler({}, async (c) => {
  const me = c.actor as UserActor;
  return json({ username: me.username, role: me.role, scope: me.via });
});

const vote = (up: boolean) =>
  handler({}, async (c) => {
    const p = await paperOr404(c.app, c.params.paper);
    const r = await setVote(c.app, c.actor, p.id, up);
    return json({
      paperId: p.arxiv_id,
      upvotes: r.upvotes,
      authorUpvotes: r.authorUpvotes,
      voted: up,
      changed: r.changed,
    });
  });
export const upvote = vote(true);
export const unvote = vote(false);

const comment = (reply: boolean) =>
  handler({ body: CommentBody }, async (c) => {
    const p = await paperOr404(c.app, c.params.paper);
    const parentId = reply ? Number(c.params.commentId) : null;
    if (reply && !Number.isSafeInteger(parentId)) throw notFound('No such comment to reply to.');
    const made = await postComment(c.app, c.actor, { paperId: p.id, parentId, body: c.body.comment });
    return json(
      {
        comment: {
          id: String(made.id),
          parentId: made.parentId === null ? null : String(made.parentId),
          html: made.html,
          createdAt: made.createdAt,
          author: (c.actor as UserActor).username,
        },
      },
      201,
    );
  });
export const addComment = comment(false);
export const replyComment = comment(true);

/** POST /api/papers/index — bring a paper from arXiv onto this site (no daily entry). */
export const indexPaper = handler({ body: ArxivBody }, async (c) => {
  const r = await indexPaperFromArxiv(c.app, c.actor, c.body.arxivId);
  return json({ arxivId: r.arxivId, indexed: r.indexed, url: `/papers/${r.arxivId}` }, r.indexed ? 201 : 200);
});

/** POST /api/daily_papers — submit a paper to today's list (Hugging Face's endpoint). */
export const submit = handler({ body: ArxivBody }, async (c) => {
  const r = await submitPaper(c.app, c.actor, c.body.arxivId);
  return json({ arxivId: r.arxivId, day: r.day, url: r.link }, 201);
});

/** GET /api/me/saved[?format=bibtex] — the token owner's reading list. */
export const mySaved = handler({ query: z.object({ format: text() }) }, async (c) => {
  if (c.query.format === 'bibtex')
    return raw(await readingListBibtex(c.app, c.actor), 'application/x-bibtex; charset=utf-8');
  return json(await readingList(c.app, c.actor));
});

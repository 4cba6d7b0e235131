import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import {
  type ApiComment,
  apiCommentById,
  apiCommentThreads,
  deleteComment,
  editMyComment,
  findCommentForApi,
  MAX_COMMENT_CHARS,
} from '../../services/comments.js';
import { paperOr404 } from '../find-paper.js';
import { idParam, intParam } from '../params.js';
import { type Ctx, handler, json } from '../route.js';

/**
 * A paper's discussion through the API (Hugging Face has posting and replying, paperboy's
 * community.ts serves those; it has no way to read, edit or delete, which its users ask for):
 *
 * - GET    /api/papers/:id/comments?p=&limit=            threads, paged (anyone; a token is optional)
 * - PATCH  /api/papers/:id/comment/:commentId  {comment}  edit your own (write scope)
 * - DELETE /api/papers/:id/comment/:commentId             delete your own (write scope; moderators any)
 *
 * Comment ids are strings, as in the answers of the posting endpoints. Described in community-openapi.ts.
 */
const COMMENTS_DEFAULT_LIMIT = 20;
const COMMENTS_MAX_LIMIT = 100;
const MAX_PAGE = 10_000;

interface ApiCommentJson {
  id: string;
  parentId: string | null;
  author: string | null;
  state: ApiComment['state'];
  hiddenReason: string | null;
  markdown: string | null;
  html: string | null;
  createdAt: string;
  editedAt: string | null;
  replies: ApiCommentJson[];
}

function toJson(c: ApiComment): ApiCommentJson {
  return {
    id: String(c.id),
    parentId: c.parentId === null ? null : String(c.parentId),
    author: c.author,
    state: c.state,
    hiddenReason: c.hiddenReason,
    markdown: c.markdown,
    html: c.html,
    createdAt: c.createdAt,
    editedAt: c.editedAt,
    replies: c.replies.map(toJson),
  };
}

const ListQuery = z.object({
  p: intParam(0, MAX_PAGE, 0),
  limit: intParam(1, COMMENTS_MAX_LIMIT, COMMENTS_DEFAULT_LIMIT),
});

/** GET /api/papers/:id/comments — top-level threads oldest first, each with all its replies. */
export const listCommentsApi = handler({ query: ListQuery }, async (c) => {
  const paper = await paperOr404(c.app, c.params.paper);
  const { p, limit } = c.query;
  const r = await apiCommentThreads(c.app, paper.id, { offset: p * limit, limit });
  return json({
    paperId: paper.arxiv_id,
    numComments: paper.comment_count,
    threadCount: r.threadCount,
    p,
    limit,
    comments: r.threads.map(toJson),
  });
});

/** The comment named in the path, which must be on the paper named in the path. */
async function commentOnPaper(c: Ctx): Promise<number> {
  const paper = await paperOr404(c.app, c.params.paper);
  const id = idParam(c.params.commentId);
  const row = await findCommentForApi(c.app, id);
  if (!row || row.paper_id !== paper.id || row.deleted_at)
    throw new AppError('not_found', 'No such comment on this paper.', { parameter: 'commentId' });
  return id;
}

const EditBody = z.object({
  comment: z
    .string({ message: 'required: the new text, in Markdown' })
    .max(MAX_COMMENT_CHARS, `at most ${MAX_COMMENT_CHARS} characters`),
});

/** PATCH /api/papers/:id/comment/:commentId — edit your own comment; the old text is kept in its history. */
export const editCommentApi = handler({ body: EditBody }, async (c) => {
  const id = await commentOnPaper(c);
  await editMyComment(c.app, c.actor, id, c.body.comment);
  const after = await apiCommentById(c.app, id);
  return json({ comment: toJson(after!) });
});

/** DELETE /api/papers/:id/comment/:commentId — delete your own comment (replies stay, under a placeholder). */
export const deleteCommentApi = handler({}, async (c) => {
  const id = await commentOnPaper(c);
  await deleteComment(c.app, c.actor, id);
  return json({ id: String(id), deleted: true });
});

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { normaliseArxivId } from '../../model/arxiv-id.js';
import { requireUser, requireWriter } from '../../services/accounts.js';
import { postComment } from '../../services/comments.js';
import type { ServiceContext } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import { readingList, readingListBibtex } from '../../services/reading-list.js';
import { submitPaper } from '../../services/submissions.js';
import { setVote } from '../../services/votes.js';
import { findPaperByArxivId, upsertPapers } from '../../store/paper-store.js';
import { paperParam, paperUrls } from '../community/paper-urls.js';

/**
 * The API for taking part: Hugging Face's write endpoints where it has them, paperboy's own for
 * the rest. Authenticated by `Authorization: Bearer <token>` only; write scope to change anything.
 * Every route here is described in community-openapi.ts.
 */
const CommentBody = z.object({ comment: z.string().min(1).max(10_000) });
const ArxivBody = z.object({ arxivId: z.string().min(1).max(200) });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ServiceError('invalid', `Body: ${issue.path.join('.') || 'value'} ${issue.message}.`);
  }
  return r.data;
}

export async function registerCommunityApi(s: FastifyInstance, ctx: ServiceContext): Promise<void> {
  const paperOr404 = async (req: FastifyRequest) => {
    const id = normaliseArxivId(paperParam(req.params));
    const p = id ? await findPaperByArxivId(ctx.db, id) : undefined;
    if (!p) throw new ServiceError('not_found', 'No such paper.');
    return p;
  };
  const vote = (up: boolean) => async (req: FastifyRequest) => {
    requireWriter(req.actor);
    const p = await paperOr404(req);
    const r = await setVote(ctx, req.actor, p.id, up, req.ip);
    return { paperId: p.arxiv_id, upvotes: r.upvotes, authorUpvotes: r.authorUpvotes, voted: up, changed: r.changed };
  };
  const comment = (reply: boolean) => async (req: FastifyRequest, res: FastifyReply) => {
    requireWriter(req.actor);
    const p = await paperOr404(req);
    const { comment } = parse(CommentBody, req.body);
    const parentId = reply ? Number((req.params as { commentId: string }).commentId) : null;
    if (reply && !Number.isSafeInteger(parentId)) throw new ServiceError('not_found', 'No such comment to reply to.');
    const c = await postComment(ctx, req.actor, { paperId: p.id, parentId, body: comment, ip: req.ip });
    return res.code(201).send({
      comment: {
        id: String(c.id),
        parentId: c.parentId === null ? null : String(c.parentId),
        html: c.html,
        createdAt: c.createdAt,
        author: req.actor.kind === 'user' ? req.actor.username : null,
      },
    });
  };

  s.get('/api/whoami', async (req) => {
    const me = requireUser(req.actor);
    return { username: me.username, role: me.role, scope: me.via };
  });
  for (const url of paperUrls('/api/papers', 'upvote')) s.post(url, vote(true));
  for (const url of paperUrls('/api/papers', 'upvote')) s.delete(url, vote(false));
  for (const url of paperUrls('/api/papers', 'comment')) s.post(url, comment(false));
  for (const url of paperUrls('/api/papers', 'comment/:commentId/reply')) s.post(url, comment(true));
  s.post('/api/papers/index', async (req, reply) => {
    requireWriter(req.actor);
    const { arxivId: raw } = parse(ArxivBody, req.body);
    const arxivId = normaliseArxivId(raw);
    if (!arxivId) throw new ServiceError('invalid', `"${raw.slice(0, 80)}" is not an arXiv id.`);
    const known = await findPaperByArxivId(ctx.db, arxivId);
    if (known) return { arxivId, indexed: false, url: `/papers/${arxivId}` };
    const record = ctx.fetchPaper ? await ctx.fetchPaper(arxivId) : null;
    if (!record)
      throw new ServiceError(
        'not_found',
        `arXiv ${arxivId} is not known here${ctx.fetchPaper ? ' or on arXiv' : ' and this site has no arXiv look-up'}.`,
      );
    await upsertPapers(ctx.db, [record]);
    return reply.code(201).send({ arxivId, indexed: true, url: `/papers/${arxivId}` });
  });
  s.post('/api/daily_papers', async (req, reply) => {
    requireWriter(req.actor);
    const { arxivId } = parse(ArxivBody, req.body);
    const r = await submitPaper(ctx, req.actor, arxivId, req.ip);
    return reply.code(201).send({ arxivId: r.arxivId, day: r.day, url: r.link });
  });
  s.get('/api/me/saved', async (req, reply) => {
    const me = requireUser(req.actor);
    if ((req.query as { format?: string }).format === 'bibtex')
      return reply.type('application/x-bibtex; charset=utf-8').send(await readingListBibtex(ctx, me));
    return readingList(ctx, me);
  });
}

import { z } from 'zod';
import { badRequest, notFound } from '../../lib/app-error.js';
import { parseArxivId } from '../../model/arxiv-id.js';
import { searchPapers } from '../../services/search.js';
import { type PaperCursor, paperCard, papersAfter, papersByIds } from '../../store/listing-store.js';
import { MAX_QUERY_CHARS } from '../pages/search.js';
import { intParam } from '../params.js';
import { handler, json, showing } from '../route.js';
import { toHfDailyItem, toHfPaper } from './hf-format.js';

/** Search modes the API accepts (paperboy's addition to Hugging Face's search endpoint). */
export const SEARCH_MODES = ['hybrid', 'keyword', 'semantic'] as const;
export const SEARCH_DEFAULT_LIMIT = 20;
export const SEARCH_MAX_LIMIT = 100;
export const LIST_DEFAULT_LIMIT = 50;
export const LIST_MAX_LIMIT = 100;

/** GET /api/papers/:id — one paper (the inner `paper` object of a daily item). */
export const paperApi = handler({}, async (ctx) => {
  const raw = ctx.params['*'] ?? '';
  const id = parseArxivId(raw);
  if (!id) throw badRequest(`Invalid parameter "id": "${raw}" is not an arXiv identifier`, 'id');
  const card = await paperCard(ctx.app.db, id.id);
  if (!card) throw notFound(`Paper ${id.id} not found`);
  return showing(json(toHfPaper(card)), [card.id]);
});

const SearchQuery = z.object({
  q: z
    .string({ message: 'required' })
    .trim()
    .min(1, 'required')
    .max(MAX_QUERY_CHARS, `at most ${MAX_QUERY_CHARS} characters`),
  limit: intParam(1, SEARCH_MAX_LIMIT, SEARCH_DEFAULT_LIMIT),
  mode: z.enum(SEARCH_MODES, { message: `one of ${SEARCH_MODES.join(', ')}` }).optional(),
});

/** GET /api/papers/search?q=&limit=&mode= — papers for a query, best first, as daily items. */
export const searchApi = handler({ query: SearchQuery }, async (ctx) => {
  const q = ctx.query;
  const res = await searchPapers(ctx.app, { q: q.q, limit: q.limit, offset: 0, mode: q.mode });
  const cards = await papersByIds(
    ctx.app.db,
    res.hits.map((h) => h.paperId),
  );
  return showing(
    json(cards.map(toHfDailyItem)),
    cards.map((c) => c.id),
  );
});

/** The opaque cursor of /api/papers: base64url of the last paper's published date and id. */
export function encodeCursor(c: PaperCursor): string {
  return Buffer.from(JSON.stringify([c.publishedAt, c.id])).toString('base64url');
}

export function decodeCursor(s: string): PaperCursor | null {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && Number.isInteger(v[1])) return { publishedAt: v[0], id: v[1] };
  } catch {
    // fall through: not a cursor we made
  }
  return null;
}

const ListQuery = z.object({
  cursor: z
    .string()
    .optional()
    .refine((v) => !v || decodeCursor(v) !== null, 'not a cursor this API returned'),
  limit: intParam(1, LIST_MAX_LIMIT, LIST_DEFAULT_LIMIT),
});

/** GET /api/papers?cursor=&limit= — every paper, newest first; the next page's URL is in the Link header. */
export const listPapersApi = handler({ query: ListQuery }, async (ctx) => {
  const q = ctx.query;
  const headers: Record<string, string> = {};
  const cards = await papersAfter(ctx.app.db, q.cursor ? decodeCursor(q.cursor) : null, q.limit);
  if (cards.length === q.limit) {
    const last = cards[cards.length - 1];
    const next = encodeCursor({ publishedAt: last.publishedAt ?? '', id: last.id });
    headers.link = `</api/papers?cursor=${next}&limit=${q.limit}>; rel="next"`;
  }
  return showing(
    json(cards.map(toHfDailyItem), 200, headers),
    cards.map((c) => c.id),
  );
});

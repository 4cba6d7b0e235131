import { z } from 'zod';
import type { App } from '../../app.js';
import { AppError } from '../../lib/app-error.js';
import { parseArxivId } from '../../model/arxiv-id.js';
import { MAX_SEARCH_LIMIT, type SearchMode, searchPapers } from '../../services/search.js';
import {
  type PaperCard,
  type PaperCursor,
  paperCard,
  papersAfter,
  papersByIds,
  recentPapers,
} from '../../store/listing-store.js';
import { MAX_QUERY_CHARS } from '../pages/search.js';
import { intParam } from '../params.js';
import { handler, json, showing } from '../route.js';
import { toHfDailyItem, toHfPaper } from './hf-format.js';

/** Search modes the API accepts (paperboy's addition to Hugging Face's search endpoint). */
export const SEARCH_MODES = ['hybrid', 'keyword', 'semantic'] as const;
export const SEARCH_DEFAULT_LIMIT = 20;
/** Hugging Face's /api/papers/search accepts up to 120 (huggingface_hub's list_papers asks for that many). */
export const SEARCH_MAX_LIMIT = 120;
export const LIST_DEFAULT_LIMIT = 50;
export const LIST_MAX_LIMIT = 100;

/**
 * GET /api/papers/:id — one paper (the inner `paper` object of a daily item), with `numComments`,
 * which huggingface_hub's PaperInfo reads (it defaults to 0 when absent, as on Hugging Face).
 * Any id that names no paper here, well-formed or not, is a 404: huggingface_hub's paper_info
 * documents "HTTP 404 If the paper does not exist on the Hub" and raises on that status.
 */
export const paperApi = handler({}, async (ctx) => {
  const raw = ctx.params['*'] ?? '';
  const id = parseArxivId(raw);
  const card = id ? await paperCard(ctx.app.db, id.id) : null;
  if (!card)
    throw new AppError(
      'not_found',
      id ? `Paper ${id.id} not found` : `Paper "${raw.slice(0, 80)}" not found: not an arXiv identifier`,
      { parameter: 'id' },
    );
  return showing(json({ ...toHfPaper(card), numComments: card.commentCount }), [card.id]);
});

const SearchQuery = z.object({
  q: z.string().trim().max(MAX_QUERY_CHARS, `at most ${MAX_QUERY_CHARS} characters`).optional(),
  limit: intParam(1, SEARCH_MAX_LIMIT, SEARCH_DEFAULT_LIMIT),
  mode: z.enum(SEARCH_MODES, { message: `one of ${SEARCH_MODES.join(', ')}` }).optional(),
});

/**
 * Papers for a query, best first; with no query (or only spaces), the newest papers. The engine
 * answers at most MAX_SEARCH_LIMIT a call, so a larger `limit` is read in pages of that size.
 *
 * @example
 * await findPapers(app, { q: 'sparse attention cat:cs.CL', limit: 120 }) // up to 120 cards
 */
export async function findPapers(
  app: App,
  req: { q?: string; limit: number; offset?: number; mode?: SearchMode },
): Promise<{ cards: PaperCard[]; total: number; notes: string[] }> {
  const q = req.q?.trim() ?? '';
  const offset = req.offset ?? 0;
  if (q === '') {
    const cards = (await recentPapers(app.db, offset + req.limit)).slice(offset);
    return { cards, total: cards.length, notes: [] };
  }
  const ids: number[] = [];
  let total = 0;
  const notes: string[] = [];
  while (ids.length < req.limit) {
    const want = Math.min(MAX_SEARCH_LIMIT, req.limit - ids.length);
    const res = await searchPapers(app, { q, limit: want, offset: offset + ids.length, mode: req.mode });
    if (ids.length === 0) {
      total = res.total;
      notes.push(...res.notes);
    }
    ids.push(...res.hits.map((h) => h.paperId));
    if (res.hits.length < want) break;
  }
  return { cards: await papersByIds(app.db, ids), total, notes };
}

/** GET /api/papers/search?q=&limit=&mode= — papers for a query as daily items; no `q`: the newest papers. */
export const searchApi = handler({ query: SearchQuery }, async (ctx) => {
  const q = ctx.query;
  const { cards } = await findPapers(ctx.app, { q: q.q, limit: q.limit, mode: q.mode });
  return showing(
    json(cards.map(toHfDailyItem)),
    cards.map((c) => c.id),
  );
});

/** The opaque cursor of /api/papers: base64url of the last paper's published date and id. */
function encodeCursor(c: PaperCursor): string {
  return Buffer.from(JSON.stringify([c.publishedAt, c.id])).toString('base64url');
}

function decodeCursor(s: string): PaperCursor | null {
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

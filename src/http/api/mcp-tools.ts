import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { App } from '../../app.js';
import { AppError } from '../../lib/app-error.js';
import { type Actor, canWrite } from '../../model/actor.js';
import { parseArxivId } from '../../model/arxiv-id.js';
import { parseDay } from '../../model/dates.js';
import { rateLimit } from '../../services/rate-limits.js';
import { similarPapers } from '../../services/search.js';
import { submitPaper } from '../../services/submissions.js';
import { trendingPapers } from '../../services/trending.js';
import { setVote } from '../../services/votes.js';
import { type PaperCard, paperCard, papersByIds } from '../../store/listing-store.js';
import { MAX_QUERY_CHARS } from '../pages/search.js';
import { MAX_LIMIT as DAILY_MAX_LIMIT, DAILY_SORTS, dailyRange, listDailyPapers, MAX_PAGE } from './daily-papers.js';
import { hfTime } from './hf-format.js';
import { paperAsMarkdown } from './paper-markdown.js';
import { findPapers, SEARCH_MODES } from './papers.js';

/**
 * The Model Context Protocol server: tools for agents over the site's own services, the same ones
 * the pages and the JSON API call. One definition serves both doors: `paperboy mcp` on stdio
 * (cli/mcp.ts) and Streamable HTTP at `/mcp` (mcp-http.ts). Reading needs nothing (or any API
 * token); upvote_paper and submit_paper need a write-scoped token and count against the same named
 * rate limits (`vote`, `submit`) as the route table's rows for those actions.
 *
 * A tool's bad input or a refused action comes back as an MCP tool error (`isError: true`) whose
 * text says what was wrong and names the argument; a fault of ours is logged and reported in one
 * sentence, never with its details.
 */
const MCP_SERVER_NAME = 'paperboy';
const MCP_SERVER_VERSION = '1';
/** Papers a list tool returns by default, and at most: enough to choose from, short enough to read. */
const TOOL_DEFAULT_LIMIT = 10;
const TOOL_MAX_LIMIT = 50;
/** Deepest search result a tool pages to (the engine's own bound). */
const TOOL_MAX_OFFSET = 1000;
const AUTHORS_SHOWN = 6;
/**
 * How long similar_papers waits for the semantic index. It is trained on first use (minutes on a
 * large corpus); the call then says so rather than hold the agent, and the build goes on.
 */
const SIMILAR_WAIT_MS = 20_000;

async function withinSimilarWait<T>(pending: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'unavailable',
            'The similarity index is still being built on this site; try again in a minute.',
            {
              retryAfterSeconds: 60,
            },
          ),
        ),
      SIMILAR_WAIT_MS,
    );
  });
  try {
    return await Promise.race([pending, late]);
  } finally {
    clearTimeout(timer);
    pending.catch(() => undefined); // a late failure is logged by the search service
  }
}

/**
 * Who is calling and from where. What a write changes, the services mark for the page caches
 * themselves (setVote, submitPaper: services/content-version.ts), whichever door it came through.
 */
interface McpSession {
  actor: Actor;
  /** The caller's address over HTTP; none on stdio (only the account's limit then applies). */
  ip?: string;
  /** Where a fault of ours is logged (the request's logger, or the process's on stdio). */
  log: { error(obj: object, msg: string): void };
}

const paperId = z
  .string()
  .max(200)
  .describe('An arXiv id in any form: 2501.01234, arXiv:2501.01234v2, hep-th/9504118 or an arxiv.org link');
const limit = (max: number, fallback: number) =>
  z.number().int().min(1).max(max).default(fallback).describe(`How many papers (1–${max}, default ${fallback})`);

function site(app: App, card: PaperCard): string {
  return `${app.config.baseUrl}/papers/${card.arxivId}`;
}

/** The fields a listed paper carries in structured content. */
function paperJson(app: App, card: PaperCard, extra: Record<string, unknown> = {}) {
  return {
    id: card.arxivId,
    title: card.title,
    authors: card.authors,
    publishedAt: hfTime(card.publishedAt),
    upvotes: card.upvotes,
    numComments: card.commentCount,
    githubRepo: card.githubRepo,
    featuredOn: card.daily?.day ?? null,
    organization: card.organization?.name ?? null,
    url: site(app, card),
    ...extra,
  };
}

/** A numbered Markdown list of papers, with the line an agent needs to pick one. */
function paperList(app: App, heading: string, cards: PaperCard[], note?: (c: PaperCard) => string): string {
  if (cards.length === 0) return `${heading}\n\nNo papers.`;
  const lines = cards.map((c, i) => {
    const authors =
      c.authors.length > AUTHORS_SHOWN
        ? `${c.authors.slice(0, AUTHORS_SHOWN).join(', ')} and ${c.authors.length - AUTHORS_SHOWN} more`
        : c.authors.join(', ');
    const facts = [
      c.arxivId,
      c.publishedAt ? `published ${c.publishedAt.slice(0, 10)}` : null,
      c.daily ? `Daily Papers ${c.daily.day}` : null,
      `${c.upvotes} upvotes`,
      `${c.commentCount} comments`,
      c.githubRepo ? `code: ${c.githubRepo}` : null,
      note?.(c) ?? null,
    ].filter(Boolean);
    return `${i + 1}. ${c.title}\n   ${facts.join(' · ')}\n   ${authors}\n   ${site(app, c)}`;
  });
  return `${heading}\n\n${lines.join('\n')}`;
}

function listResult(app: App, text: string, cards: PaperCard[], extra?: (c: PaperCard) => object): CallToolResult {
  return {
    content: [{ type: 'text', text }],
    structuredContent: { papers: cards.map((c) => paperJson(app, c, extra?.(c) as Record<string, unknown>)) },
  };
}

async function cardOf(app: App, raw: string): Promise<PaperCard> {
  const id = parseArxivId(raw);
  const card = id ? await paperCard(app.db, id.id) : null;
  if (!card)
    throw new AppError(
      'not_found',
      `Invalid argument "id": no paper ${JSON.stringify(raw.slice(0, 80))} on this site.`,
      {
        parameter: 'id',
      },
    );
  return card;
}

function requireWriteToken(actor: Actor, tool: string): void {
  if (actor.kind !== 'user')
    throw new AppError('unauthenticated', `${tool} needs a write-scoped API token (Authorization: Bearer pb_…).`);
  if (actor.banned) throw new AppError('forbidden', 'This account is suspended.');
  if (!canWrite(actor))
    throw new AppError('forbidden', `${tool} needs a write-scoped API token; this one is read-only.`);
}

/**
 * Run a tool body; what it refuses (an AppError) becomes the tool error's text, with the argument
 * named when there is one, and anything else is logged and reported without its details.
 */
function guarded<A>(session: McpSession, tool: string, run: (args: A) => Promise<CallToolResult>) {
  return async (args: A): Promise<CallToolResult> => {
    try {
      return await run(args);
    } catch (err) {
      if (err instanceof AppError) {
        const p = err.extra.parameter;
        const text = p && !err.message.includes(`"${p}"`) ? `Invalid argument "${p}": ${err.message}` : err.message;
        return { isError: true, content: [{ type: 'text', text }] };
      }
      session.log.error({ err, tool }, 'mcp tool failed');
      return {
        isError: true,
        content: [{ type: 'text', text: `${tool} failed on the server; it has been logged. Try again later.` }],
      };
    }
  };
}

/**
 * A server with every tool, for one session (one stdio process, or one HTTP request: the HTTP door
 * is stateless, so any web process answers any call).
 *
 * @example
 * const server = createMcpServer(app, { actor, log: app.log });
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(app: App, session: McpSession): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: MCP_SERVER_VERSION },
    {
      instructions:
        'Research papers from arXiv and the Daily Papers community of this site. Search with search_papers, read one with get_paper (Markdown), browse with list_daily_papers and list_trending, explore with similar_papers. With a write-scoped token: upvote_paper and submit_paper.',
    },
  );
  const now = () => app.clock.now();

  server.registerTool(
    'search_papers',
    {
      title: 'Search papers',
      description: [
        'Search the papers on this site. The query language:',
        'words (any may match, best first; stemmed, stop words ignored), "an exact phrase", -excluded or -"excluded phrase",',
        'author:hinton or author:"Yann LeCun", cat:cs.CL (arXiv category), org:apple (organisation),',
        'after:2024-05 and before:2024-12-31 (publication dates: YYYY, YYYY-MM or YYYY-MM-DD), has:code.',
        'Filters alone list the newest matching papers; an empty query lists the newest papers.',
        'Modes: hybrid (default: words and meaning), keyword (exact words), semantic (meaning only).',
      ].join(' '),
      inputSchema: {
        query: z
          .string()
          .max(MAX_QUERY_CHARS)
          .default('')
          .describe('The query, e.g. "speculative decoding" cat:cs.CL after:2025-01 -survey'),
        mode: z.enum(SEARCH_MODES).default('hybrid').describe('hybrid (default), keyword or semantic'),
        limit: limit(TOOL_MAX_LIMIT, TOOL_DEFAULT_LIMIT),
        offset: z.number().int().min(0).max(TOOL_MAX_OFFSET).default(0).describe('Results to skip, for the next page'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(
      session,
      'search_papers',
      async (a: { query: string; mode: (typeof SEARCH_MODES)[number]; limit: number; offset: number }) => {
        const r = await findPapers(app, { q: a.query, mode: a.mode, limit: a.limit, offset: a.offset });
        const heading = a.query.trim()
          ? `${r.total} results for ${JSON.stringify(a.query)} (${a.mode}), ${a.offset + 1}–${a.offset + r.cards.length}:`
          : 'The newest papers:';
        const notes = r.notes.length > 0 ? `\n\nNotes: ${r.notes.join(' ')}` : '';
        return listResult(app, paperList(app, heading, r.cards) + notes, r.cards);
      },
    ),
  );

  server.registerTool(
    'get_paper',
    {
      title: 'Get a paper',
      description:
        'One paper as Markdown: title, authors, dates, arXiv and PDF links, categories, Daily Papers day and submitter, organisation, upvotes, code, project page, discussion size and the abstract.',
      inputSchema: { id: paperId },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(session, 'get_paper', async (a: { id: string }) => {
      const md = await paperAsMarkdown(app, a.id);
      if (md === null) await cardOf(app, a.id); // throws the not-found error naming "id"
      return { content: [{ type: 'text', text: md!.markdown }] };
    }),
  );

  server.registerTool(
    'list_daily_papers',
    {
      title: 'List Daily Papers',
      description: [
        'Papers featured on Daily Papers: one day (date), a week or a month, or by default every day, newest first.',
        'A week (YYYY-Www) runs from the Friday before its Monday to its Sunday and a month (YYYY-MM) from the previous',
        "month's last day, as on Hugging Face. Give at most one of date, week and month. A range lists the most upvoted first;",
        'sort=publishedAt lists the newest first and sort=trending by trending score. submitter narrows to one user.',
      ].join(' '),
      inputSchema: {
        date: z.string().optional().describe('A day, YYYY-MM-DD'),
        week: z.string().optional().describe('An ISO week, YYYY-Www'),
        month: z.string().optional().describe('A month, YYYY-MM'),
        submitter: z.string().max(100).optional().describe('Only papers this user name submitted'),
        sort: z.enum(DAILY_SORTS).optional().describe('publishedAt (newest first) or trending'),
        page: z.number().int().min(0).max(MAX_PAGE).default(0).describe('Page from 0'),
        limit: limit(Math.min(TOOL_MAX_LIMIT, DAILY_MAX_LIMIT), TOOL_DEFAULT_LIMIT),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(
      session,
      'list_daily_papers',
      async (a: {
        date?: string;
        week?: string;
        month?: string;
        submitter?: string;
        sort?: (typeof DAILY_SORTS)[number];
        page: number;
        limit: number;
      }) => {
        const range = dailyRangeOrError(a);
        const cards = await listDailyPapers(app, now(), { ...a, p: a.page });
        const what = a.date ?? a.week ?? a.month ?? 'every day';
        const heading = `Daily Papers, ${what}${range ? ` (${range.from} to ${range.to})` : ''}${a.submitter ? `, submitted by ${a.submitter}` : ''}${a.sort ? `, by ${a.sort}` : ''}, page ${a.page}:`;
        return listResult(app, paperList(app, heading, cards), cards);
      },
    ),
  );

  server.registerTool(
    'list_trending',
    {
      title: 'List trending papers',
      description:
        'Papers trending now: upvotes and discussion, decaying with a 36-hour half-life over 7 days (the site’s /papers/trending).',
      inputSchema: { limit: limit(TOOL_MAX_LIMIT, TOOL_DEFAULT_LIMIT) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(session, 'list_trending', async (a: { limit: number }) => {
      const t = await trendingPapers(app, now(), a.limit);
      const cards = t.items.map((i) => i.card);
      const scores = new Map(t.items.map((i) => [i.card.id, i.score]));
      const text = paperList(
        app,
        `Trending as of ${t.asOf.toISOString().slice(0, 16).replace('T', ' ')} UTC:`,
        cards,
        (c) => `score ${scores.get(c.id)!.toFixed(2)}`,
      );
      return listResult(app, text, cards, (c) => ({ score: scores.get(c.id) }));
    }),
  );

  server.registerTool(
    'similar_papers',
    {
      title: 'Find similar papers',
      description: 'Papers nearest in meaning to one paper (the "Similar papers" of its page).',
      inputSchema: { id: paperId, limit: limit(TOOL_MAX_LIMIT, TOOL_DEFAULT_LIMIT) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(session, 'similar_papers', async (a: { id: string; limit: number }) => {
      const card = await cardOf(app, a.id);
      const hits = await withinSimilarWait(similarPapers(app, card.id, a.limit));
      const cards = await papersByIds(
        app.db,
        hits.map((h) => h.paperId),
      );
      return listResult(app, paperList(app, `Papers similar to ${card.arxivId} (${card.title}):`, cards), cards);
    }),
  );

  server.registerTool(
    'upvote_paper',
    {
      title: 'Upvote a paper',
      description:
        'Upvote a paper as the token’s user, or take the upvote back (remove: true). Needs a write-scoped token.',
      inputSchema: { id: paperId, remove: z.boolean().default(false).describe('Take your upvote back') },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guarded(session, 'upvote_paper', async (a: { id: string; remove: boolean }) => {
      requireWriteToken(session.actor, 'upvote_paper');
      const card = await cardOf(app, a.id);
      const me = session.actor as Extract<Actor, { kind: 'user' }>;
      await rateLimit(app, 'vote', { account: me.id, ip: session.ip });
      const r = await setVote(app, me, card.id, !a.remove);
      const did = a.remove
        ? r.changed
          ? 'Upvote taken back'
          : 'You had not upvoted it'
        : r.changed
          ? 'Upvoted'
          : 'Already upvoted';
      return {
        content: [{ type: 'text', text: `${did}: ${card.arxivId} (${card.title}) now has ${r.upvotes} upvotes.` }],
        structuredContent: { id: card.arxivId, upvotes: r.upvotes, voted: !a.remove, changed: r.changed },
      };
    }),
  );

  server.registerTool(
    'submit_paper',
    {
      title: 'Submit a paper to Daily Papers',
      description:
        'Submit an arXiv paper to today’s Daily Papers as the token’s user (the site’s rules apply: recent papers only, a daily limit). Needs a write-scoped token.',
      inputSchema: { arxivId: paperId },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    guarded(session, 'submit_paper', async (a: { arxivId: string }) => {
      requireWriteToken(session.actor, 'submit_paper');
      const me = session.actor as Extract<Actor, { kind: 'user' }>;
      await rateLimit(app, 'submit', { account: me.id, ip: session.ip });
      const r = await submitPaper(app, me, a.arxivId);
      return {
        content: [
          { type: 'text', text: `Submitted ${r.arxivId} to Daily Papers for ${r.day}: ${app.config.baseUrl}${r.link}` },
        ],
        structuredContent: { id: r.arxivId, day: r.day, url: `${app.config.baseUrl}${r.link}` },
      };
    }),
  );

  return server;
}

/** The day range of a list_daily_papers call, with its argument named when it is malformed. */
function dailyRangeOrError(a: { date?: string; week?: string; month?: string }) {
  for (const [name, pattern, example] of [
    ['date', /^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'],
    ['week', /^\d{4}-W\d{2}$/, 'YYYY-Www'],
    ['month', /^\d{4}-\d{2}$/, 'YYYY-MM'],
  ] as const) {
    const v = a[name];
    if (v !== undefined && !pattern.test(v))
      throw new AppError('invalid', `Invalid argument "${name}": expected ${example}, got ${JSON.stringify(v)}.`, {
        parameter: name,
      });
  }
  const range = dailyRange(a);
  if ((a.date && !parseDay(a.date)) || ((a.week || a.month) && !range)) {
    const name = a.date ? 'date' : a.week ? 'week' : 'month';
    throw new AppError('invalid', `Invalid argument "${name}": ${JSON.stringify(a[name])} is no such ${name}.`, {
      parameter: name,
    });
  }
  return range;
}

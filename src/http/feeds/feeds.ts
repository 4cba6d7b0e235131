import { badRequest, notFound } from '../../lib/app-error.js';
import { longDate } from '../../model/dates.js';
import { factValue } from '../../model/fact-label.js';
import { rankingPath, rankingTitle } from '../../model/result-ranking.js';
import { feedRecommendations } from '../../services/recommendations.js';
import { resultRanking } from '../../services/results.js';
import { searchPapers } from '../../services/search.js';
import { trendingPapers } from '../../services/trending.js';
import {
  dailyEntries,
  findOrganizationByName,
  latestDailyDay,
  latestListingDay,
  newOnArxiv,
  organizationPapers,
  type PaperCard,
  papersByAuthorNames,
  papersByIds,
} from '../../store/listing-store.js';
import { authorNameParam, authorNames } from '../pages/author.js';
import { RankingParams, rankingQuery } from '../pages/result-ranking.js';
import { parseSearchQuery, SearchParams, searchQueryParams } from '../pages/search.js';
import { type Ctx, type Handler, handler, type Reply, raw, showing } from '../route.js';
import { withQuery } from '../ui/components.js';
import { atom, type FeedInfo, rss } from './build.js';

/** Items per feed: a day's list, the top of trending, the newest search results or org papers. */
const FEED_ITEMS = 50;

type FeedContext = Ctx;

interface FeedContent {
  title: string;
  description: string;
  /** Path of the HTML page, and of the feed without its extension. */
  page: string;
  feed: string;
  cards: PaperCard[];
  /** The order depends on votes (any vote may reorder it), not only the papers' own counts. */
  rankedByVotes?: boolean;
}

type FeedFormat = 'rss' | 'atom';

function render(ctx: FeedContext, format: FeedFormat, c: FeedContent): Reply {
  const base = ctx.app.config.baseUrl;
  const ext = format === 'rss' ? '.xml' : '.atom';
  const [feedPath, feedQuery] = c.feed.split('?');
  const info: FeedInfo = {
    title: c.title,
    description: c.description,
    pageUrl: base + c.page,
    selfUrl: base + feedPath + ext + (feedQuery ? `?${feedQuery}` : ''),
    baseUrl: base,
    updated: ctx.now,
  };
  const out =
    format === 'rss'
      ? raw(rss(info, c.cards), 'application/rss+xml; charset=utf-8')
      : raw(atom(info, c.cards), 'application/atom+xml; charset=utf-8');
  // Lists ranked by votes (daily, trending) may change order on any vote; the others only show counts.
  return c.rankedByVotes
    ? out
    : showing(
        out,
        c.cards.map((p) => p.id),
      );
}

async function dailyContent(ctx: FeedContext): Promise<FeedContent> {
  const db = ctx.app.db;
  const day = await latestDailyDay(db);
  if (day) {
    const list = await dailyEntries(db, { from: day, to: day, limit: FEED_ITEMS, offset: 0 });
    return {
      title: `Daily Papers — ${longDate(day)}`,
      description: 'The papers featured on Daily Papers, most upvoted first.',
      page: '/',
      feed: '/feeds/daily',
      cards: list.items,
      rankedByVotes: true,
    };
  }
  const listing = await latestListingDay(db);
  const cards = listing
    ? (await newOnArxiv(db, { from: listing, to: listing, limit: FEED_ITEMS, offset: 0 })).items
    : [];
  return {
    title: `New on arXiv${listing ? ` — ${longDate(listing)}` : ''}`,
    description: 'Papers new on arXiv.',
    page: '/',
    feed: '/feeds/daily',
    cards,
  };
}

async function trendingContent(ctx: FeedContext): Promise<FeedContent> {
  const { items } = await trendingPapers(ctx.app, ctx.now, FEED_ITEMS);
  return {
    title: 'Trending papers',
    description: 'Papers by upvotes, comments and code, decayed by age.',
    page: '/papers/trending',
    feed: '/feeds/trending',
    cards: items.map((i) => i.card),
    rankedByVotes: true,
  };
}

async function searchContent(ctx: FeedContext): Promise<FeedContent> {
  const parsed = parseSearchQuery(ctx.query);
  const { q, filters, mode } = parsed;
  if (q === '' && Object.keys(filters).length === 0)
    throw badRequest('A search feed needs a query: /feeds/search.xml?q=words.', 'q');
  const res = await searchPapers(ctx.app, { q, filters, mode, limit: FEED_ITEMS, offset: 0 });
  const cards = await papersByIds(
    ctx.app.db,
    res.hits.map((h) => h.paperId),
  );
  const qs = searchQueryParams(parsed);
  return {
    title: `Search: ${q}`,
    description: `Papers matching “${q}”.`,
    page: withQuery('/papers', qs, {}),
    feed: withQuery('/feeds/search', qs, {}),
    cards,
  };
}

async function orgContent(ctx: FeedContext, name: string): Promise<FeedContent> {
  const org = await findOrganizationByName(ctx.app.db, name);
  if (!org) throw notFound(`There is no organisation named "${name}".`);
  const list = await organizationPapers(ctx.app.db, org.id, FEED_ITEMS, 0);
  const enc = encodeURIComponent(org.name);
  return {
    title: `${org.fullname ?? org.name} papers`,
    description: `Papers from ${org.fullname ?? org.name}.`,
    page: `/orgs/${enc}`,
    feed: `/feeds/orgs/${enc}`,
    cards: list.items,
  };
}

async function authorContent(ctx: FeedContext, raw: string): Promise<FeedContent> {
  const v = await authorNames(ctx.app, authorNameParam(raw));
  const list = await papersByAuthorNames(ctx.app.db, v.names, FEED_ITEMS, 0);
  const enc = encodeURIComponent(v.names[0]!);
  return {
    title: `Papers by ${v.names[0]}`,
    description: `Papers by ${v.names.join(' / ')}, newest first.`,
    page: `/authors/${enc}`,
    feed: `/feeds/authors/${enc}`,
    cards: list.items,
  };
}

/**
 * A result ranking (pages/result-ranking.ts) as a feed: its top FEED_ITEMS papers, each titled with
 * its claimed number and its ranked fact first in the Results line.
 */
async function resultsContent(ctx: FeedContext, kind: string): Promise<FeedContent> {
  const q = rankingQuery(kind, ctx.query);
  const r = await resultRanking(ctx.app, q, ctx.now, FEED_ITEMS, 0);
  const title = rankingTitle(q);
  return {
    title,
    description: `${title}: papers ranked by the number their abstract claims, largest first.`,
    page: rankingPath(q),
    feed: rankingPath(q, 1, '/feeds/results/'),
    cards: r.rows.map((x) => ({
      ...x.card,
      title: `#${x.rank} ${factValue(x.fact)} — ${x.card.title}`,
      facts: [x.fact, ...x.card.facts.filter((f) => f.span !== x.fact.span)],
    })),
  };
}

export const dailyFeed = (format: FeedFormat): Handler =>
  handler({}, async (ctx) => render(ctx, format, await dailyContent(ctx)));
export const trendingFeed = (format: FeedFormat): Handler =>
  handler({}, async (ctx) => render(ctx, format, await trendingContent(ctx)));
export const searchFeed = (format: FeedFormat): Handler =>
  handler({ query: SearchParams }, async (ctx) => render(ctx, format, await searchContent(ctx)));

/** GET /feeds/orgs/:file — `NAME.xml` (RSS) or `NAME.atom` (Atom). */
export const orgFeed = handler({}, async (ctx) => {
  const file = ctx.params.file ?? '';
  const m = /^(.+)\.(xml|atom)$/.exec(file);
  if (!m) throw notFound(`Organisation feeds are /feeds/orgs/NAME.xml (RSS) or /feeds/orgs/NAME.atom (Atom).`);
  return render(ctx, m[2] === 'xml' ? 'rss' : 'atom', await orgContent(ctx, m[1]));
});

/** GET /feeds/authors/:file — `NAME.xml` (RSS) or `NAME.atom` (Atom): an author's papers, as /authors/NAME. */
export const authorFeed = handler({}, async (ctx) => {
  const m = /^(.+)\.(xml|atom)$/.exec(ctx.params.file ?? '');
  if (!m) throw notFound('Author feeds are /feeds/authors/NAME.xml (RSS) or /feeds/authors/NAME.atom (Atom).');
  return render(ctx, m[2] === 'xml' ? 'rss' : 'atom', await authorContent(ctx, m[1]!));
});

/** GET /feeds/results/:file — `KIND.xml` (RSS) or `KIND.atom` (Atom), with the ranking's query. */
export const resultsFeed = handler({ query: RankingParams }, async (ctx) => {
  const m = /^([a-z]+)\.(xml|atom)$/.exec(ctx.params.file ?? '');
  if (!m) throw notFound('Result feeds are /feeds/results/KIND.xml (RSS) or /feeds/results/KIND.atom (Atom).');
  return render(ctx, m[2] === 'xml' ? 'rss' : 'atom', await resultsContent(ctx, m[1]!));
});

/**
 * GET /feeds/for-you/:file — a reader's private "For you" feed: `TOKEN.xml` (RSS) or `TOKEN.atom`.
 * The token is the authorisation (read-only); the route is `private`, so no copy is ever shared.
 */
export const forYouFeed = handler({}, async (ctx) => {
  const m = /^(.+)\.(xml|atom)$/.exec(ctx.params.file ?? '');
  if (!m) throw notFound('Private feeds are /feeds/for-you/TOKEN.xml (RSS) or /feeds/for-you/TOKEN.atom (Atom).');
  const r = await feedRecommendations(ctx.app, m[1], 'week');
  return render(ctx, m[2] === 'xml' ? 'rss' : 'atom', {
    title: `For ${r.username} — paperboy`,
    description: r.note ?? 'Papers of the week ranked from your signals.',
    page: '/for-you',
    feed: `/feeds/for-you/${m[1]}`,
    cards: r.items.map((i) => ({ ...i.card, abstract: `Why: ${i.why}. ${i.card.abstract}` })),
    rankedByVotes: true,
  });
});

import type { Db } from '../db/open.js';
import type { OrganizationRow, PaperRow } from '../db/schema.js';
import type { ResultFact } from '../facts/fact.js';
import { datesAndLinks } from './paper-store.js';
import { storeError } from './store-errors.js';

/**
 * Read-side queries for the site's lists: Daily Papers days, weeks and months, New on arXiv,
 * organisations, trending candidates and paper pages. Every function returns `PaperCard`s (plain
 * data, JSON already parsed) so pages, the API and feeds share one shape.
 */

export interface OrgRef {
  name: string;
  fullname: string | null;
  avatarUrl: string | null;
}

export interface DailyRef {
  day: string;
  position: number;
  submittedBy: string | null;
  submitterFullname: string | null;
  submittedAt: string | null;
  organization: OrgRef | null;
  /** Hugging Face extras (null when the entry did not come from there). */
  submitterAvatarUrl: string | null;
  thumbnailUrl: string | null;
  mediaUrls: string[];
  discussionId: string | null;
  isAuthorParticipating: boolean | null;
  /** The submitter's own organisation, not the paper's. */
  submitterOrganization: OrgRef | null;
  /** The Hugging Face item's outer publishedAt as recorded; null when not from there. */
  hfPublishedAt: string | null;
  /** The item's outer title and summary as recorded (they may differ from the paper's). */
  hfTitle: string | null;
  hfSummary: string | null;
}

/** A paper's title, summary and author names exactly as Hugging Face recorded them. */
export interface HfRecorded {
  title: string;
  summary: string;
  authors: string[];
}

export interface PaperCard {
  id: number;
  arxivId: string;
  version: number | null;
  title: string;
  abstract: string;
  authors: string[];
  authorCount: number;
  categories: string[];
  primaryCategory: string | null;
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  publishedAt: string | null;
  updatedAt: string | null;
  withdrawn: boolean;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  aiKeywords: string[] | null;
  upvotes: number;
  /** Upvotes from the paper's claimed authors (a subset of upvotes; weighted less in trending). */
  authorUpvotes: number;
  commentCount: number;
  /** Of commentCount, the comments counted on Hugging Face when it was imported (not readable here). */
  importedCommentCount: number;
  organization: OrgRef | null;
  /** Whether the paper's first figure is cached here (/figures/ID); else cards show the cover. */
  hasFigure: boolean;
  /** The Daily Papers entry this card was listed from (daily lists and trending), else null. */
  daily: DailyRef | null;
  /** Result facts of the abstract, in order (migration 0047; [] when none or not yet extracted). */
  facts: ResultFact[];
  /** What Hugging Face recorded (the HF-compatible API returns it); null when not imported from there. */
  hfRecorded: HfRecorded | null;
}

interface Page<T> {
  items: T[];
  total: number;
}

/** Trending never scores more candidates than this: the list shows a few dozen, and scoring is per request. */
const MAX_TRENDING_CANDIDATES = 500;

// Columns a card needs; the paper's own organisation is `o`, a daily entry's is `eo`.
const PAPER_COLUMNS = [
  'p.id',
  'p.arxiv_id',
  'p.version',
  'p.title',
  'p.abstract',
  'p.authors',
  'p.author_count',
  'p.categories',
  'p.primary_category',
  'p.comment',
  'p.journal_ref',
  'p.doi',
  'p.published_at',
  'p.updated_at',
  'p.withdrawn',
  'p.github_repo',
  'p.github_stars',
  'p.project_page',
  'p.ai_summary',
  'p.ai_keywords',
  'p.upvotes',
  'p.author_upvotes',
  'p.comment_count',
  'p.imported_comment_count',
  'p.facts_json',
  'p.hf_title',
  'p.hf_summary',
  'p.hf_authors',
  'p.has_figure',
  'o.name as org_name',
  'o.fullname as org_fullname',
  'o.avatar_url as org_avatar',
] as const;

const DAILY_COLUMNS = [
  'd.day as d_day',
  'd.position as d_position',
  'd.submitted_by as d_submitted_by',
  'd.submitter_fullname as d_submitter_fullname',
  'd.submitted_at as d_submitted_at',
  'eo.name as eo_name',
  'eo.fullname as eo_fullname',
  'eo.avatar_url as eo_avatar',
  'd.submitter_avatar_url as d_submitter_avatar_url',
  'd.thumbnail_url as d_thumbnail_url',
  'd.media_urls as d_media_urls',
  'd.discussion_id as d_discussion_id',
  'd.is_author_participating as d_is_author_participating',
  'so.name as so_name',
  'so.fullname as so_fullname',
  'so.avatar_url as so_avatar',
  'd.hf_published_at as d_hf_published_at',
  'd.hf_title as d_hf_title',
  'd.hf_summary as d_hf_summary',
] as const;

// biome-ignore lint/suspicious/noExplicitAny: rows of hand-joined listing queries, read field by field below
type Row = Record<string, any>;

function org(name: string | null, fullname: string | null, avatar: string | null): OrgRef | null {
  return name ? { name, fullname, avatarUrl: avatar } : null;
}

function toCard(r: Row): PaperCard {
  const daily: DailyRef | null = r.d_day
    ? {
        day: r.d_day,
        position: r.d_position,
        submittedBy: r.d_submitted_by,
        submitterFullname: r.d_submitter_fullname,
        submittedAt: r.d_submitted_at,
        organization: org(r.eo_name, r.eo_fullname, r.eo_avatar),
        submitterAvatarUrl: r.d_submitter_avatar_url,
        thumbnailUrl: r.d_thumbnail_url,
        mediaUrls: r.d_media_urls ? JSON.parse(r.d_media_urls) : [],
        discussionId: r.d_discussion_id,
        isAuthorParticipating: r.d_is_author_participating === null ? null : r.d_is_author_participating === 1,
        submitterOrganization: org(r.so_name, r.so_fullname, r.so_avatar),
        hfPublishedAt: r.d_hf_published_at ?? null,
        hfTitle: r.d_hf_title ?? null,
        hfSummary: r.d_hf_summary ?? null,
      }
    : null;
  return {
    id: r.id,
    arxivId: r.arxiv_id,
    version: r.version,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors),
    authorCount: r.author_count,
    categories: JSON.parse(r.categories),
    primaryCategory: r.primary_category,
    comment: r.comment,
    journalRef: r.journal_ref,
    doi: r.doi,
    ...datesAndLinks(r as PaperRow),
    upvotes: r.upvotes,
    authorUpvotes: r.author_upvotes ?? 0,
    commentCount: r.comment_count,
    importedCommentCount: r.imported_comment_count ?? 0,
    facts: r.facts_json ? JSON.parse(r.facts_json) : [],
    // A daily entry may name the organisation that submitted it; the paper's own one is the fallback.
    organization: daily?.organization ?? org(r.org_name, r.org_fullname, r.org_avatar),
    hasFigure: r.has_figure === 1,
    daily,
    hfRecorded:
      r.hf_title != null && r.hf_summary != null && r.hf_authors != null
        ? { title: r.hf_title, summary: r.hf_summary, authors: JSON.parse(r.hf_authors) }
        : null,
  };
}

function papers(db: Db) {
  return db.kysely.selectFrom('papers as p').leftJoin('organizations as o', 'o.id', 'p.organization_id');
}

function dailyPapers(db: Db) {
  return db.kysely
    .selectFrom('daily_entries as d')
    .innerJoin('papers as p', 'p.id', 'd.paper_id')
    .leftJoin('organizations as o', 'o.id', 'p.organization_id')
    .leftJoin('organizations as eo', 'eo.id', 'd.organization_id')
    .leftJoin('organizations as so', 'so.id', 'd.submitter_organization_id');
}

function fail(what: string, err: unknown): never {
  throw storeError(`read ${what}`, err);
}

/** The newest day with Daily Papers entries, or null on a site that has none. */
export async function latestDailyDay(db: Db): Promise<string | null> {
  const r = await db.kysely
    .selectFrom('daily_entries')
    .select((eb) => eb.fn.max('day').as('d'))
    .executeTakeFirst();
  return (r?.d as string | null) ?? null;
}

/** The nearest days before and after `day` that have Daily Papers entries. */
export async function adjacentDailyDays(db: Db, day: string): Promise<{ prev: string | null; next: string | null }> {
  const prev = await db.kysely
    .selectFrom('daily_entries')
    .select((eb) => eb.fn.max('day').as('d'))
    .where('day', '<', day)
    .executeTakeFirst();
  const next = await db.kysely
    .selectFrom('daily_entries')
    .select((eb) => eb.fn.min('day').as('d'))
    .where('day', '>', day)
    .executeTakeFirst();
  return { prev: (prev?.d as string | null) ?? null, next: (next?.d as string | null) ?? null };
}

interface DailyQuery {
  /** Inclusive day bounds; an absent bound is open (every day before, or after). */
  from?: string;
  to?: string;
  /** Only entries submitted by this user name. */
  submitter?: string;
  /**
   * `upvotes` (default): most upvoted first, then newest day, then the day's own position.
   * `newest`: newest day first, then the latest submission of the day, then position.
   */
  order?: 'upvotes' | 'newest';
  limit: number;
  offset: number;
}

/** Daily Papers entries between two days (either bound may be open), in the order asked for. */
export async function dailyEntries(db: Db, q: DailyQuery): Promise<Page<PaperCard>> {
  try {
    // The count needs only the entries table (its day index); the joins are for the page of cards.
    let count = db.kysely.selectFrom('daily_entries as d');
    if (q.from) count = count.where('d.day', '>=', q.from);
    if (q.to) count = count.where('d.day', '<=', q.to);
    if (q.submitter) count = count.where('d.submitted_by', '=', q.submitter);
    const total = await count.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (q.limit === 0 || Number(total.n) === 0) return { items: [], total: Number(total.n) };
    let base = dailyPapers(db);
    if (q.from) base = base.where('d.day', '>=', q.from);
    if (q.to) base = base.where('d.day', '<=', q.to);
    if (q.submitter) base = base.where('d.submitted_by', '=', q.submitter);
    let ordered = base.select([...PAPER_COLUMNS, ...DAILY_COLUMNS]);
    ordered =
      q.order === 'newest'
        ? ordered
            .orderBy('d.day', 'desc')
            // An entry with no submission time (an arXiv import) counts as the start of its day.
            .orderBy((eb) => eb.fn.coalesce('d.submitted_at', eb.val('')), 'desc')
            .orderBy('d.position', 'asc')
        : ordered.orderBy('p.upvotes', 'desc').orderBy('d.day', 'desc').orderBy('d.position', 'asc');
    const rows = await ordered.limit(q.limit).offset(q.offset).execute();
    return { items: rows.map(toCard), total: Number(total.n) };
  } catch (err) {
    fail(`daily entries ${q.from ?? '…'}..${q.to ?? '…'}`, err);
  }
}

/** The newest arXiv listing day ("New on arXiv"), or null. */
export async function latestListingDay(db: Db): Promise<string | null> {
  const r = await db.kysely
    .selectFrom('listing_entries')
    .select((eb) => eb.fn.max('day').as('d'))
    .executeTakeFirst();
  return (r?.d as string | null) ?? null;
}

export async function adjacentListingDays(db: Db, day: string): Promise<{ prev: string | null; next: string | null }> {
  const prev = await db.kysely
    .selectFrom('listing_entries')
    .select((eb) => eb.fn.max('day').as('d'))
    .where('day', '<', day)
    .executeTakeFirst();
  const next = await db.kysely
    .selectFrom('listing_entries')
    .select((eb) => eb.fn.min('day').as('d'))
    .where('day', '>', day)
    .executeTakeFirst();
  return { prev: (prev?.d as string | null) ?? null, next: (next?.d as string | null) ?? null };
}

interface ListingQuery {
  /** Inclusive day bounds (one day: from = to). */
  from: string;
  to: string;
  /** Primary category, e.g. cs.CL. */
  category?: string;
  limit: number;
  offset: number;
}

/** Papers new on arXiv those days (first appearances only, not replacements), most upvoted, then by arXiv id. */
export async function newOnArxiv(db: Db, q: ListingQuery): Promise<Page<PaperCard>> {
  try {
    let count = db.kysely
      .selectFrom('listing_entries as l')
      .where('l.day', '>=', q.from)
      .where('l.day', '<=', q.to)
      .where('l.first_appearance', '=', 1);
    if (q.category) count = count.where('l.primary_category', '=', q.category);
    const total = await count.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (q.limit === 0 || Number(total.n) === 0) return { items: [], total: Number(total.n) };
    let base = db.kysely
      .selectFrom('listing_entries as l')
      .innerJoin('papers as p', 'p.id', 'l.paper_id')
      .leftJoin('organizations as o', 'o.id', 'p.organization_id')
      .where('l.day', '>=', q.from)
      .where('l.day', '<=', q.to)
      .where('l.first_appearance', '=', 1);
    if (q.category) base = base.where('l.primary_category', '=', q.category);
    const rows = await base
      .select(PAPER_COLUMNS)
      .orderBy('p.upvotes', 'desc')
      .orderBy('p.arxiv_id', 'asc')
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    return { items: rows.map(toCard), total: Number(total.n) };
  } catch (err) {
    fail(`new on arXiv for ${q.from}..${q.to}`, err);
  }
}

/** Primary categories of a listing day's new papers with their counts, largest first. */
export async function listingCategories(db: Db, day: string): Promise<Array<{ category: string; count: number }>> {
  const rows = await db.kysely
    .selectFrom('listing_entries')
    .select(['primary_category', (eb) => eb.fn.countAll<number>().as('n')])
    .where('day', '=', day)
    .where('first_appearance', '=', 1)
    .where('primary_category', 'is not', null)
    .groupBy('primary_category')
    .orderBy('n', 'desc')
    .orderBy('primary_category')
    .execute();
  return rows.map((r) => ({ category: r.primary_category!, count: Number(r.n) }));
}

/** The newest papers by publication date: what a site with no lists at all still shows. */
export async function newestPapers(db: Db, limit: number): Promise<PaperCard[]> {
  const rows = await papers(db)
    .select(PAPER_COLUMNS)
    .orderBy('p.published_at', 'desc')
    .orderBy('p.arxiv_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toCard);
}

/**
 * Papers with a publication date, newest first, ties by id: what a search with no words lists.
 * Papers with none are left out (on PostgreSQL a NULL would sort first) and the published_at index
 * serves the order.
 */
export async function recentPapers(db: Db, limit: number): Promise<PaperCard[]> {
  const rows = await papers(db)
    .select(PAPER_COLUMNS)
    .where('p.published_at', 'is not', null)
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toCard);
}

export async function findOrganizationByName(db: Db, name: string): Promise<OrganizationRow | undefined> {
  return db.kysely.selectFrom('organizations').selectAll().where('name', '=', name).executeTakeFirst();
}

export interface OrganisationSummary {
  name: string;
  fullname: string | null;
  papers: number;
}

/**
 * Organisations with the number of their papers (theirs by import or by a featured day's entry, as
 * on their page), most papers first, then by name.
 */
export async function organisationsByPapers(db: Db, limit: number, offset: number): Promise<Page<OrganisationSummary>> {
  try {
    const k = db.kysely;
    const links = k
      .selectFrom('papers')
      .select(['organization_id as org_id', 'id as paper_id'])
      .where('organization_id', 'is not', null)
      .union(
        k
          .selectFrom('daily_entries')
          .select(['organization_id as org_id', 'paper_id'])
          .where('organization_id', 'is not', null),
      );
    const [rows, total] = await Promise.all([
      k
        .selectFrom('organizations as o')
        .leftJoin(links.as('x'), 'x.org_id', 'o.id')
        .select(({ fn }) => ['o.name', 'o.fullname', fn.count<number | string>('x.paper_id').distinct().as('papers')])
        .groupBy(['o.id', 'o.name', 'o.fullname'])
        .orderBy('papers', 'desc')
        .orderBy('o.name')
        .limit(limit)
        .offset(offset)
        .execute(),
      k
        .selectFrom('organizations')
        .select(({ fn }) => fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({ name: r.name, fullname: r.fullname, papers: Number(r.papers) })),
      total: Number(total.n),
    };
  } catch (err) {
    fail('organisations by papers', err);
  }
}

/** One page of a filtered paper query, newest first, with the total it pages over. */
async function newestFirstPage(
  base: ReturnType<typeof papers>,
  limit: number,
  offset: number,
): Promise<Page<PaperCard>> {
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select(PAPER_COLUMNS)
    .orderBy('p.published_at', 'desc')
    .orderBy('p.arxiv_id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { items: rows.map(toCard), total: Number(total.n) };
}

/** An organisation's papers: its own and those it submitted to Daily Papers, newest first. */
export async function organizationPapers(
  db: Db,
  orgId: number,
  limit: number,
  offset: number,
): Promise<Page<PaperCard>> {
  try {
    const base = papers(db).where((eb) =>
      eb.or([
        eb('p.organization_id', '=', orgId),
        eb('p.id', 'in', eb.selectFrom('daily_entries').select('paper_id').where('organization_id', '=', orgId)),
      ]),
    );
    return await newestFirstPage(base, limit, offset);
  } catch (err) {
    fail(`papers of organisation ${orgId}`, err);
  }
}

/** Papers with any of these author spellings (one person's, model/author-names.ts), newest first. */
export async function papersByAuthorNames(
  db: Db,
  names: string[],
  limit: number,
  offset: number,
): Promise<Page<PaperCard>> {
  if (names.length === 0) return { items: [], total: 0 };
  try {
    const base = papers(db).where('p.id', 'in', (eb) =>
      eb.selectFrom('paper_authors').select('paper_id').where('name', 'in', names),
    );
    return await newestFirstPage(base, limit, offset);
  } catch (err) {
    fail(`papers of author ${names[0]}`, err);
  }
}

/** Cards for ids (e.g. search hits), in the order given; unknown ids are skipped. */
export async function papersByIds(db: Db, ids: number[]): Promise<PaperCard[]> {
  if (ids.length === 0) return [];
  const rows = await papers(db).select(PAPER_COLUMNS).where('p.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, toCard(r)]));
  return ids.map((id) => byId.get(id)).filter((c): c is PaperCard => !!c);
}

/** One paper with its latest Daily Papers entry, if any. */
export async function paperCard(db: Db, arxivId: string): Promise<PaperCard | null> {
  const row = await papers(db).select(PAPER_COLUMNS).where('p.arxiv_id', '=', arxivId).executeTakeFirst();
  if (!row) return null;
  const entry = await dailyPapers(db)
    .select([...PAPER_COLUMNS, ...DAILY_COLUMNS])
    .where('p.id', '=', row.id)
    .orderBy('d.day', 'desc')
    .limit(1)
    .executeTakeFirst();
  return toCard(entry ?? row);
}

interface TrendingCandidate {
  card: PaperCard;
  /** When the paper entered the list: its latest Daily Papers day, else its publication date (ISO). */
  enteredAt: string;
}

/**
 * Papers that may be trending at `since` (ISO day): those featured on a Daily Papers day since
 * then, and those published since then, most upvoted first. Scoring is the caller's (model/trending).
 */
export async function trendingCandidates(db: Db, since: string): Promise<TrendingCandidate[]> {
  try {
    const featured = await dailyPapers(db)
      .select([...PAPER_COLUMNS, ...DAILY_COLUMNS])
      .where('d.day', '>=', since)
      .orderBy('p.upvotes', 'desc')
      .orderBy('d.day', 'desc')
      .limit(MAX_TRENDING_CANDIDATES)
      .execute();
    const out = new Map<number, TrendingCandidate>();
    for (const r of featured) {
      const card = toCard(r);
      const seen = out.get(card.id);
      // A paper featured on several days counts from its latest one.
      if (!seen || seen.enteredAt < `${card.daily!.day}T00:00:00.000Z`)
        out.set(card.id, { card, enteredAt: `${card.daily!.day}T00:00:00.000Z` });
    }
    // The ids first, from the (published_at, upvotes) index alone (migration 0054), then their
    // rows: sorting whole rows of every paper in the window took 150–360 ms.
    const fresh = await papers(db)
      .select(PAPER_COLUMNS)
      .where('p.id', 'in', (eb) =>
        eb
          .selectFrom('papers')
          .select('id')
          .where('published_at', '>=', since)
          .orderBy('upvotes', 'desc')
          .orderBy('published_at', 'desc')
          .limit(MAX_TRENDING_CANDIDATES),
      )
      .orderBy('p.upvotes', 'desc')
      .orderBy('p.published_at', 'desc')
      .execute();
    for (const r of fresh) if (!out.has(r.id)) out.set(r.id, { card: toCard(r), enteredAt: r.published_at! });
    return [...out.values()];
  } catch (err) {
    fail(`trending candidates since ${since}`, err);
  }
}

/** The newest day anything entered a list (Daily Papers or arXiv), for anchoring a dormant site's clock. */
export async function latestActivityDay(db: Db): Promise<string | null> {
  const [a, b] = [await latestDailyDay(db), await latestListingDay(db)];
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

export interface PaperCursor {
  publishedAt: string;
  id: number;
}

/** All papers, newest first, by keyset (stable under inserts): the `/api/papers` listing. */
export async function papersAfter(db: Db, cursor: PaperCursor | null, limit: number): Promise<PaperCard[]> {
  let q = papers(db).select(PAPER_COLUMNS);
  if (cursor) {
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn.coalesce('p.published_at', eb.val('')), '<', cursor.publishedAt),
        eb.and([eb(eb.fn.coalesce('p.published_at', eb.val('')), '=', cursor.publishedAt), eb('p.id', '<', cursor.id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy((eb) => eb.fn.coalesce('p.published_at', eb.val('')), 'desc')
    .orderBy('p.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toCard);
}

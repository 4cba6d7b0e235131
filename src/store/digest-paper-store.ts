import type { Db } from '../db/open.js';
import type { CandidatePaper } from '../model/digest-select.js';
import { storeError } from './store-errors.js';

/** Ids per IN (...) list when loading papers by id. */
const IDS_PER_QUERY = 500;

type Row = {
  id: number;
  arxiv_id: string;
  title: string;
  abstract: string;
  author_count: number;
  categories: string;
  upvotes: number;
  comment_count: number;
  github_repo: string | null;
  published_at: string | null;
  org_name: string | null;
  org_fullname: string | null;
};

function toCandidate(r: Row, enteredAt: string): CandidatePaper {
  let categories: string[] = [];
  try {
    categories = JSON.parse(r.categories);
  } catch {
    categories = [];
  }
  return {
    id: r.id,
    arxivId: r.arxiv_id,
    title: r.title,
    abstract: r.abstract,
    authorCount: r.author_count,
    categories,
    organization: r.org_name,
    organizationFullname: r.org_fullname,
    upvotes: r.upvotes,
    comments: r.comment_count,
    hasCode: !!r.github_repo,
    enteredAt,
  };
}

function paperColumns(db: Db) {
  return db.kysely
    .selectFrom('papers')
    .leftJoin('organizations', 'organizations.id', 'papers.organization_id')
    .select([
      'papers.id',
      'papers.arxiv_id',
      'papers.title',
      'papers.abstract',
      'papers.author_count',
      'papers.categories',
      'papers.upvotes',
      'papers.comment_count',
      'papers.github_repo',
      'papers.published_at',
      'organizations.name as org_name',
      'organizations.fullname as org_fullname',
    ])
    .where('papers.withdrawn', '=', 0);
}

/**
 * Papers that entered the list in [fromDay, toDay): featured on Daily Papers on a day in the window
 * (entered that day), or, for papers never featured, published in the window.
 */
export async function digestCandidates(db: Db, fromDay: string, toDay: string): Promise<CandidatePaper[]> {
  try {
    const featured = await paperColumns(db)
      .innerJoin('daily_entries', 'daily_entries.paper_id', 'papers.id')
      .select((eb) => eb.fn.min('daily_entries.day').as('entry_day'))
      .where('daily_entries.day', '>=', fromDay)
      .where('daily_entries.day', '<', toDay)
      .groupBy(['papers.id', 'organizations.name', 'organizations.fullname'])
      .execute();
    const published = await paperColumns(db)
      .where('papers.published_at', '>=', fromDay)
      .where('papers.published_at', '<', toDay)
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('daily_entries as d').select('d.id').whereRef('d.paper_id', '=', 'papers.id'))),
      )
      .execute();
    return [
      ...featured.map((r) => toCandidate(r as Row, `${r.entry_day as string}T00:00:00.000Z`)),
      ...published.map((r) => toCandidate(r, r.published_at!)),
    ];
  } catch (err) {
    throw storeError(`load digest papers for ${fromDay}..${toDay}`, err);
  }
}

/** Papers by id (for digests enqueued by an earlier run); withdrawn papers are left out. */
export async function digestPapersByIds(db: Db, ids: number[]): Promise<Map<number, CandidatePaper>> {
  const out = new Map<number, CandidatePaper>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const rows = await paperColumns(db)
      .where('papers.id', 'in', ids.slice(i, i + IDS_PER_QUERY))
      .execute();
    for (const r of rows) out.set(r.id, toCandidate(r, r.published_at ?? ''));
  }
  return out;
}

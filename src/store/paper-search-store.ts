import type { Db } from '../db/open.js';

export interface PaperFilters {
  /** Inclusive YYYY-MM-DD bounds on the publication date. */
  after?: string;
  before?: string;
  category?: string;
  /** Organisation name (slug). */
  org?: string;
  hasCode?: boolean;
}

/**
 * Plain substring search over titles and abstracts: every word must appear. A stand-in that
 * works on both databases until the search engine serves queries; newest first.
 */
export async function naiveKeywordSearch(
  db: Db,
  words: string[],
  filters: PaperFilters,
  limit: number,
  offset: number,
): Promise<{ ids: number[]; total: number }> {
  let q = db.kysely.selectFrom('papers').leftJoin('organizations', 'organizations.id', 'papers.organization_id');
  for (const w of words) {
    const pattern = `%${w.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['papers.title']), 'like', eb.val(pattern)),
        eb(eb.fn('lower', ['papers.abstract']), 'like', eb.val(pattern)),
      ]),
    );
  }
  if (filters.after) q = q.where('papers.published_at', '>=', filters.after);
  if (filters.before) q = q.where('papers.published_at', '<', `${filters.before}T99`);
  if (filters.category) q = q.where('papers.categories', 'like', `%"${filters.category.replace(/[\\%_"]/g, '')}"%`);
  if (filters.org) q = q.where('organizations.name', '=', filters.org);
  if (filters.hasCode) q = q.where('papers.github_repo', 'is not', null);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .select('papers.id')
    .orderBy('papers.published_at', 'desc')
    .orderBy('papers.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return { ids: rows.map((r) => r.id), total: Number(total.n) };
}

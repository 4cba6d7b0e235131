import type { Db } from '../db/open.js';
import type { PaperRow } from '../db/schema.js';

/** Paper look-ups the community features need (votes, comments, profiles, reading lists). */
export async function findPaperById(db: Db, id: number): Promise<PaperRow | undefined> {
  return db.kysely.selectFrom('papers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Papers by store id, in the order of `ids` (missing ones dropped). */
export async function papersByIds(db: Db, ids: number[]): Promise<PaperRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.kysely.selectFrom('papers').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is PaperRow => r !== undefined);
}

export async function setPaperOrganization(db: Db, paperId: number, organizationId: number | null): Promise<void> {
  await db.kysely.updateTable('papers').set({ organization_id: organizationId }).where('id', '=', paperId).execute();
}

/** When a paper entered the list, as trending counts it: its latest Daily Papers day, else its publication. */
export async function paperListedAt(db: Db, paperId: number): Promise<string | null> {
  const d = await db.kysely
    .selectFrom('daily_entries')
    .select('day')
    .where('paper_id', '=', paperId)
    .orderBy('day', 'desc')
    .executeTakeFirst();
  if (d) return `${d.day}T00:00:00.000Z`;
  const p = await db.kysely
    .selectFrom('papers')
    .select(['published_at', 'first_seen_at'])
    .where('id', '=', paperId)
    .executeTakeFirst();
  return p?.published_at ?? p?.first_seen_at ?? null;
}

export async function arxivIdOfPaper(db: Db, paperId: number): Promise<{ arxivId: string; title: string } | undefined> {
  const r = await db.kysely
    .selectFrom('papers')
    .select(['arxiv_id', 'title'])
    .where('id', '=', paperId)
    .executeTakeFirst();
  return r ? { arxivId: r.arxiv_id, title: r.title } : undefined;
}

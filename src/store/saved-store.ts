import type { Db } from '../db/open.js';
import type { PaperRow } from '../db/schema.js';

/** The reading list: save / unsave are idempotent. */
export async function savePaper(db: Db, userId: number, paperId: number, at: string): Promise<boolean> {
  const r = await db.kysely
    .insertInto('saved_papers')
    .values({ user_id: userId, paper_id: paperId, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function unsavePaper(db: Db, userId: number, paperId: number): Promise<boolean> {
  const r = await db.kysely
    .deleteFrom('saved_papers')
    .where('user_id', '=', userId)
    .where('paper_id', '=', paperId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function savedPapers(db: Db, userId: number): Promise<Array<PaperRow & { saved_at: string }>> {
  return db.kysely
    .selectFrom('saved_papers')
    .innerJoin('papers', 'papers.id', 'saved_papers.paper_id')
    .selectAll('papers')
    .select('saved_papers.created_at as saved_at')
    .where('saved_papers.user_id', '=', userId)
    .orderBy('saved_papers.created_at', 'desc')
    .orderBy('papers.id', 'desc')
    .execute();
}

export async function savedPaperIds(db: Db, userId: number, paperIds: number[]): Promise<Set<number>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db.kysely
    .selectFrom('saved_papers')
    .select('paper_id')
    .where('user_id', '=', userId)
    .where('paper_id', 'in', paperIds)
    .execute();
  return new Set(rows.map((r) => r.paper_id));
}

import { sql } from 'kysely';
import type { Db } from '../db/open.js';
import { storeError } from './store-errors.js';

export interface VoteResult {
  /** False when the vote was already there (add) or already gone (remove). */
  changed: boolean;
  upvotes: number;
  authorUpvotes: number;
}

async function counts(db: Db, paperId: number): Promise<{ upvotes: number; authorUpvotes: number }> {
  const p = await db.kysely
    .selectFrom('papers')
    .select(['upvotes', 'author_upvotes'])
    .where('id', '=', paperId)
    .executeTakeFirstOrThrow();
  return { upvotes: p.upvotes, authorUpvotes: p.author_upvotes };
}

/**
 * Add a user's vote. The (user, paper) primary key makes a second vote a no-op, and the counter
 * moves in the same transaction as the insert, so papers.upvotes stays exact under concurrency.
 *
 * @example
 * await addVote(db, { userId: 1, paperId: 7, byAuthor: false, at: now }) // { changed: true, upvotes: 1, … }
 */
export async function addVote(
  db: Db,
  v: { userId: number; paperId: number; byAuthor: boolean; at: string },
): Promise<VoteResult> {
  try {
    return await db.kysely.transaction().execute(async (trx) => {
      const ins = await trx
        .insertInto('votes')
        .values({ user_id: v.userId, paper_id: v.paperId, by_author: v.byAuthor ? 1 : 0, created_at: v.at })
        .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
        .executeTakeFirst();
      const changed = Number(ins.numInsertedOrUpdatedRows ?? 0) > 0;
      if (changed) {
        await trx
          .updateTable('papers')
          .set({ upvotes: sql`upvotes + 1`, author_upvotes: sql`author_upvotes + ${v.byAuthor ? 1 : 0}` })
          .where('id', '=', v.paperId)
          .execute();
      }
      return { changed, ...(await counts({ ...db, kysely: trx }, v.paperId)) };
    });
  } catch (err) {
    throw storeError(`add vote of user ${v.userId} on paper ${v.paperId}`, err);
  }
}

/** Remove a user's vote; the counter moves only when a vote was actually deleted. */
export async function removeVote(db: Db, v: { userId: number; paperId: number }): Promise<VoteResult> {
  try {
    return await db.kysely.transaction().execute(async (trx) => {
      const del = await trx
        .deleteFrom('votes')
        .where('user_id', '=', v.userId)
        .where('paper_id', '=', v.paperId)
        .returning('by_author')
        .executeTakeFirst();
      if (del) {
        await trx
          .updateTable('papers')
          .set({ upvotes: sql`upvotes - 1`, author_upvotes: sql`author_upvotes - ${del.by_author}` })
          .where('id', '=', v.paperId)
          .execute();
      }
      return { changed: del !== undefined, ...(await counts({ ...db, kysely: trx }, v.paperId)) };
    });
  } catch (err) {
    throw storeError(`remove vote of user ${v.userId} on paper ${v.paperId}`, err);
  }
}

export async function countVotes(db: Db, paperId: number): Promise<{ total: number; byAuthors: number }> {
  const r = await db.kysely
    .selectFrom('votes')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('by_author').as('a')])
    .where('paper_id', '=', paperId)
    .executeTakeFirstOrThrow();
  return { total: Number(r.n), byAuthors: Number(r.a ?? 0) };
}

/** Papers a user voted for, newest vote first (for the profile page). */
export async function paperIdsVotedBy(db: Db, userId: number, limit: number): Promise<number[]> {
  const rows = await db.kysely
    .selectFrom('votes')
    .select('paper_id')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.paper_id);
}

/** Remove all of a user's votes (ban), adjusting counters in the same transaction. */
export async function removeAllVotesOf(db: Db, userId: number): Promise<number> {
  return db.kysely.transaction().execute(async (trx) => {
    const rows = await trx
      .deleteFrom('votes')
      .where('user_id', '=', userId)
      .returning(['paper_id', 'by_author'])
      .execute();
    for (const r of rows) {
      await trx
        .updateTable('papers')
        .set({ upvotes: sql`upvotes - 1`, author_upvotes: sql`author_upvotes - ${r.by_author}` })
        .where('id', '=', r.paper_id)
        .execute();
    }
    return rows.length;
  });
}

/** Turn a user's existing vote on a paper into an author vote (after an authorship claim is approved). */
export async function markAuthorVote(db: Db, userId: number, paperId: number): Promise<boolean> {
  return db.kysely.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('votes')
      .set({ by_author: 1 })
      .where('user_id', '=', userId)
      .where('paper_id', '=', paperId)
      .where('by_author', '=', 0)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    await trx
      .updateTable('papers')
      .set({ author_upvotes: sql`author_upvotes + 1` })
      .where('id', '=', paperId)
      .execute();
    return true;
  });
}

/** Every paper a user has voted for (to mark vote buttons on any list they browse). */
export async function allVotedPaperIds(db: Db, userId: number): Promise<Set<number>> {
  const rows = await db.kysely.selectFrom('votes').select('paper_id').where('user_id', '=', userId).execute();
  return new Set(rows.map((r) => r.paper_id));
}

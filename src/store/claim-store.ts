import type { Db } from '../db/open.js';
import { isUniqueViolation, storeError } from './store-errors.js';

/** A user claims an author slot on a paper; false when they already claimed this paper. */
export async function insertClaim(
  db: Db,
  c: { paperId: number; userId: number; position: number; at: string },
): Promise<number | null> {
  try {
    const r = await db.kysely
      .insertInto('authorship_claims')
      .values({
        paper_id: c.paperId,
        user_id: c.userId,
        author_position: c.position,
        status: 'pending',
        created_at: c.at,
        decided_by: null,
        decided_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw storeError(`claim paper ${c.paperId}`, err);
  }
}

export async function findClaim(db: Db, id: number) {
  return db.kysely.selectFrom('authorship_claims').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Is there an approved claim matching all of these? A slot (paper and author position) is taken,
 * or a user is a claimed author of a paper (their votes count as author votes).
 *
 * @example
 * await hasApprovedClaim(db, { paperId: 7, position: 0 }) // the first author slot is taken
 * await hasApprovedClaim(db, { paperId: 7, userId: 3 })   // user 3 is one of its authors
 */
export async function hasApprovedClaim(
  db: Db,
  where: { paperId: number; position?: number; userId?: number },
): Promise<boolean> {
  const r = await db.kysely
    .selectFrom('authorship_claims')
    .select('id')
    .where('paper_id', '=', where.paperId)
    .$if(where.position !== undefined, (q) => q.where('author_position', '=', where.position!))
    .$if(where.userId !== undefined, (q) => q.where('user_id', '=', where.userId!))
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return r !== undefined;
}

export async function decideClaim(
  db: Db,
  id: number,
  status: 'approved' | 'rejected',
  by: number,
  at: string,
): Promise<boolean> {
  const r = await db.kysely
    .updateTable('authorship_claims')
    .set({ status, decided_by: by, decided_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function pendingClaims(db: Db, limit: number) {
  return db.kysely
    .selectFrom('authorship_claims')
    .innerJoin('users', 'users.id', 'authorship_claims.user_id')
    .innerJoin('papers', 'papers.id', 'authorship_claims.paper_id')
    .select([
      'authorship_claims.id',
      'authorship_claims.author_position',
      'authorship_claims.created_at',
      'users.username',
      'papers.arxiv_id',
      'papers.title',
      'papers.authors',
    ])
    .where('authorship_claims.status', '=', 'pending')
    .orderBy('authorship_claims.id')
    .limit(limit)
    .execute();
}

/** Approved claims of a user with the papers (profile page). */
export async function claimedPapersOf(db: Db, userId: number) {
  return db.kysely
    .selectFrom('authorship_claims')
    .innerJoin('papers', 'papers.id', 'authorship_claims.paper_id')
    .select([
      'papers.id as paper_id',
      'papers.arxiv_id',
      'papers.title',
      'papers.upvotes',
      'authorship_claims.author_position',
    ])
    .where('authorship_claims.user_id', '=', userId)
    .where('authorship_claims.status', '=', 'approved')
    .orderBy('papers.published_at', 'desc')
    .execute();
}

/** Approved claims on a paper: position → username (paper page shows claimed authors). */
export async function claimsOnPaper(db: Db, paperId: number): Promise<Map<number, string>> {
  const rows = await db.kysely
    .selectFrom('authorship_claims')
    .innerJoin('users', 'users.id', 'authorship_claims.user_id')
    .select(['authorship_claims.author_position', 'users.username'])
    .where('authorship_claims.paper_id', '=', paperId)
    .where('authorship_claims.status', '=', 'approved')
    .execute();
  return new Map(rows.map((r) => [r.author_position, r.username]));
}

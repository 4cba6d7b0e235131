import type { Db } from '../db/open.js';
import { isUniqueViolation, storeError } from './store-errors.js';

type SubmitOutcome = { status: 'submitted'; submissionId: number; day: string } | { status: 'duplicate'; day: string };

/** The first Daily Papers day a paper was featured on, if any. */
async function existingDailyDay(db: Db, paperId: number): Promise<string | undefined> {
  const r = await db.kysely
    .selectFrom('daily_entries')
    .select('day')
    .where('paper_id', '=', paperId)
    .orderBy('day')
    .executeTakeFirst();
  return r?.day;
}

/**
 * Put a paper on a day's Daily Papers list on behalf of a user: a submissions row (one per paper,
 * enforced by a unique key) and a daily_entries row, in one transaction. A paper already featured
 * on any day, or submitted concurrently, comes back as a duplicate with the existing day.
 */
export async function insertSubmission(
  db: Db,
  s: { paperId: number; userId: number; username: string; fullname: string | null; day: string; at: string },
): Promise<SubmitOutcome> {
  const existing = await existingDailyDay(db, s.paperId);
  if (existing) return { status: 'duplicate', day: existing };
  try {
    return await db.kysely.transaction().execute(async (trx) => {
      const sub = await trx
        .insertInto('submissions')
        .values({ paper_id: s.paperId, user_id: s.userId, day: s.day, hidden: 0, created_at: s.at })
        .returning('id')
        .executeTakeFirstOrThrow();
      const max = await trx
        .selectFrom('daily_entries')
        .select((eb) => eb.fn.max<number>('position').as('p'))
        .where('day', '=', s.day)
        .executeTakeFirst();
      await trx
        .insertInto('daily_entries')
        .values({
          paper_id: s.paperId,
          day: s.day,
          position: (max?.p ?? -1) + 1,
          submitted_by: s.username,
          submitter_fullname: s.fullname,
          submitted_at: s.at,
          source: 'community',
          organization_id: null,
          created_at: s.at,
        })
        .execute();
      return { status: 'submitted' as const, submissionId: sub.id, day: s.day };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      const day = (await existingDailyDay(db, s.paperId)) ?? s.day;
      return { status: 'duplicate', day };
    }
    throw storeError(`submit paper ${s.paperId}`, err);
  }
}

export async function countSubmissionsOn(db: Db, userId: number, day: string): Promise<number> {
  const r = await db.kysely
    .selectFrom('submissions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('day', '=', day)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function findSubmission(db: Db, id: number) {
  return db.kysely.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Hide or show a submission: hiding takes it off the day's list (the daily entry goes; the submission row stays as the record). */
export async function setSubmissionHidden(db: Db, id: number, hidden: boolean): Promise<boolean> {
  return db.kysely.transaction().execute(async (trx) => {
    const s = await trx.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s || s.hidden === Number(hidden)) return false;
    await trx
      .updateTable('submissions')
      .set({ hidden: hidden ? 1 : 0 })
      .where('id', '=', id)
      .execute();
    if (hidden) {
      await trx
        .deleteFrom('daily_entries')
        .where('paper_id', '=', s.paper_id)
        .where('day', '=', s.day)
        .where('source', '=', 'community')
        .execute();
    }
    return true;
  });
}

export async function submissionIdsOf(db: Db, userId: number): Promise<number[]> {
  const rows = await db.kysely
    .selectFrom('submissions')
    .select('id')
    .where('user_id', '=', userId)
    .where('hidden', '=', 0)
    .execute();
  return rows.map((r) => r.id);
}

/** A user's visible submissions, newest first (profile page). */
export async function submissionsOf(db: Db, userId: number, limit: number) {
  return db.kysely
    .selectFrom('submissions')
    .innerJoin('papers', 'papers.id', 'submissions.paper_id')
    .select([
      'submissions.id',
      'submissions.day',
      'papers.id as paper_id',
      'papers.arxiv_id',
      'papers.title',
      'papers.upvotes',
    ])
    .where('submissions.user_id', '=', userId)
    .where('submissions.hidden', '=', 0)
    .orderBy('submissions.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** The visible community submission of a paper, if any (for the "flag this submission" button). */
export async function submissionOfPaper(db: Db, paperId: number): Promise<{ id: number; userId: number } | undefined> {
  const r = await db.kysely
    .selectFrom('submissions')
    .select(['id', 'user_id'])
    .where('paper_id', '=', paperId)
    .where('hidden', '=', 0)
    .executeTakeFirst();
  return r ? { id: r.id, userId: r.user_id } : undefined;
}

import { sql } from 'kysely';
import type { Db } from '../db/open.js';
import type { CommentRow } from '../db/schema.js';
import { storeError } from './store-errors.js';

export interface CommentView extends CommentRow {
  username: string;
  user_banned: number;
}

/**
 * Insert a comment and bump papers.comment_count in the same transaction (the count stays exact).
 * comment_count counts visible comments: not deleted, not hidden.
 */
export async function insertComment(
  db: Db,
  c: { paperId: number; userId: number; parentId: number | null; body: string; bodyHtml: string; at: string },
): Promise<CommentRow> {
  try {
    return await db.kysely.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('comments')
        .values({
          paper_id: c.paperId,
          user_id: c.userId,
          parent_id: c.parentId,
          body: c.body,
          body_html: c.bodyHtml,
          created_at: c.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('papers')
        .set({ comment_count: sql`comment_count + 1` })
        .where('id', '=', c.paperId)
        .execute();
      return row;
    });
  } catch (err) {
    throw storeError(`add comment on paper ${c.paperId}`, err);
  }
}

export async function findComment(db: Db, id: number): Promise<CommentRow | undefined> {
  return db.kysely.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every comment on a paper, oldest first, with its author's name (threads are built by the caller). */
export async function listComments(db: Db, paperId: number): Promise<CommentView[]> {
  return db.kysely
    .selectFrom('comments')
    .innerJoin('users', 'users.id', 'comments.user_id')
    .selectAll('comments')
    .select(['users.username', 'users.banned as user_banned'])
    .where('comments.paper_id', '=', paperId)
    .orderBy('comments.created_at')
    .orderBy('comments.id')
    .execute();
}

/** Edit: the old body goes to comment_revisions in the same transaction. */
export async function editComment(db: Db, id: number, body: string, bodyHtml: string, at: string): Promise<void> {
  try {
    await db.kysely.transaction().execute(async (trx) => {
      const old = await trx.selectFrom('comments').select('body').where('id', '=', id).executeTakeFirstOrThrow();
      await trx.insertInto('comment_revisions').values({ comment_id: id, body: old.body, created_at: at }).execute();
      await trx
        .updateTable('comments')
        .set({ body, body_html: bodyHtml, edited_at: at })
        .where('id', '=', id)
        .execute();
    });
  } catch (err) {
    throw storeError(`edit comment ${id}`, err);
  }
}

export async function commentRevisions(db: Db, id: number): Promise<Array<{ body: string; created_at: string }>> {
  return db.kysely
    .selectFrom('comment_revisions')
    .select(['body', 'created_at'])
    .where('comment_id', '=', id)
    .orderBy('id')
    .execute();
}

function visible(c: Pick<CommentRow, 'deleted_at' | 'hidden_at'>): boolean {
  return c.deleted_at === null && c.hidden_at === null;
}

/**
 * Change a comment's state (delete, hide, unhide) and keep comment_count exact: the counter moves
 * only when visibility actually changes, in the same transaction, under a row-level update guard.
 */
export async function setCommentState(
  db: Db,
  id: number,
  patch: {
    deleted_at?: string | null;
    hidden_at?: string | null;
    hidden_reason?: string | null;
    hidden_by?: number | null;
  },
): Promise<boolean> {
  try {
    return await db.kysely.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('comments')
        .select(['paper_id', 'deleted_at', 'hidden_at'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!before) return false;
      const after = { ...before, ...patch } as Pick<CommentRow, 'deleted_at' | 'hidden_at'>;
      // Guard on the state we read, so two moderators racing cannot double-count.
      const upd = await trx
        .updateTable('comments')
        .set(patch)
        .where('id', '=', id)
        .where((eb) =>
          before.deleted_at === null ? eb('deleted_at', 'is', null) : eb('deleted_at', '=', before.deleted_at),
        )
        .where((eb) =>
          before.hidden_at === null ? eb('hidden_at', 'is', null) : eb('hidden_at', '=', before.hidden_at),
        )
        .executeTakeFirst();
      if (Number(upd.numUpdatedRows) === 0) return false;
      const delta = Number(visible(after)) - Number(visible(before));
      if (delta !== 0) {
        await trx
          .updateTable('papers')
          .set({ comment_count: sql`comment_count + ${delta}` })
          .where('id', '=', before.paper_id)
          .execute();
      }
      return true;
    });
  } catch (err) {
    throw storeError(`change comment ${id}`, err);
  }
}

/** Ids of a user's visible comments (to hide them on a ban). */
export async function visibleCommentIdsOf(db: Db, userId: number): Promise<number[]> {
  const rows = await db.kysely
    .selectFrom('comments')
    .select('id')
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('hidden_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** A user's recent visible comments with the paper's arXiv id and title (profile page). */
export async function recentCommentsOf(db: Db, userId: number, limit: number) {
  return db.kysely
    .selectFrom('comments')
    .innerJoin('papers', 'papers.id', 'comments.paper_id')
    .select(['comments.id', 'comments.body_html', 'comments.created_at', 'papers.arxiv_id', 'papers.title'])
    .where('comments.user_id', '=', userId)
    .where('comments.deleted_at', 'is', null)
    .where('comments.hidden_at', 'is', null)
    .orderBy('comments.created_at', 'desc')
    .limit(limit)
    .execute();
}

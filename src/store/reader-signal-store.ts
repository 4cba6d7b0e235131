import type { Db } from '../db/open.js';
import type { ReaderSignalKind, ReaderSignalRow } from '../db/schema.js';

/**
 * A reader's signals for "For you": the explicit ones (reader_signals: follows, "not interested",
 * seeds) and the papers they acted on elsewhere (votes, saves, approved authorship claims).
 */

/** Add a signal; idempotent (the first label is kept). True when it is new. */
export async function addReaderSignal(
  db: Db,
  userId: number,
  kind: ReaderSignalKind,
  value: string,
  label: string,
  at: string,
): Promise<boolean> {
  const r = await db.kysely
    .insertInto('reader_signals')
    .values({ user_id: userId, kind, value, label, created_at: at })
    .onConflict((oc) => oc.columns(['user_id', 'kind', 'value']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function removeReaderSignal(
  db: Db,
  userId: number,
  kind: ReaderSignalKind,
  value: string,
): Promise<boolean> {
  const r = await db.kysely
    .deleteFrom('reader_signals')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('value', '=', value)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Every explicit signal of one reader, newest first. */
export async function readerSignals(db: Db, userId: number): Promise<ReaderSignalRow[]> {
  return (await readerSignalsOf(db, [userId])).get(userId) ?? [];
}

export type PaperActionKind = 'upvote' | 'save' | 'authored';

/** The papers a reader upvoted, saved or (approved claim) wrote, with when; newest first, at most `limit`. */
export async function readerPaperActions(
  db: Db,
  userId: number,
  limit: number,
): Promise<Array<{ paper_id: number; kind: PaperActionKind; at: string }>> {
  const votes = db.kysely
    .selectFrom('votes')
    .select(['paper_id', 'created_at as at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  const saves = db.kysely
    .selectFrom('saved_papers')
    .select(['paper_id', 'created_at as at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  const claims = db.kysely
    .selectFrom('authorship_claims')
    .select(['paper_id', 'created_at as at'])
    .where('user_id', '=', userId)
    .where('status', '=', 'approved')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  const [v, s, c] = await Promise.all([votes, saves, claims]);
  return [
    ...v.map((r) => ({ ...r, kind: 'upvote' as const })),
    ...s.map((r) => ({ ...r, kind: 'save' as const })),
    ...c.map((r) => ({ ...r, kind: 'authored' as const })),
  ]
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, limit);
}

/**
 * `readerPaperActions` of many readers in three queries (a digest's page of subscribers), by
 * reader. Hazard: every row of those readers is read and the newest `limit` kept here, so a page
 * holding readers with tens of thousands of votes reads them all.
 */
export async function readerPaperActionsOf(
  db: Db,
  userIds: readonly number[],
  limit: number,
): Promise<Map<number, Array<{ paper_id: number; kind: PaperActionKind; at: string }>>> {
  const out = new Map<number, Array<{ paper_id: number; kind: PaperActionKind; at: string }>>();
  if (userIds.length === 0) return out;
  const ids = [...userIds];
  const [v, s, c] = await Promise.all([
    db.kysely
      .selectFrom('votes')
      .select(['user_id', 'paper_id', 'created_at as at'])
      .where('user_id', 'in', ids)
      .orderBy('created_at', 'desc')
      .execute(),
    db.kysely
      .selectFrom('saved_papers')
      .select(['user_id', 'paper_id', 'created_at as at'])
      .where('user_id', 'in', ids)
      .orderBy('created_at', 'desc')
      .execute(),
    db.kysely
      .selectFrom('authorship_claims')
      .select(['user_id', 'paper_id', 'created_at as at'])
      .where('user_id', 'in', ids)
      .where('status', '=', 'approved')
      .orderBy('created_at', 'desc')
      .execute(),
  ]);
  const add = (rows: Array<{ user_id: number; paper_id: number; at: string }>, kind: PaperActionKind) => {
    for (const r of rows) {
      const list = out.get(r.user_id);
      const action = { paper_id: r.paper_id, kind, at: r.at };
      if (list) list.push(action);
      else out.set(r.user_id, [action]);
    }
  };
  add(v, 'upvote');
  add(s, 'save');
  add(c, 'authored');
  // The same order as readerPaperActions: newest first (a stable sort keeps upvote, save, claim on ties).
  for (const [id, list] of out)
    out.set(id, list.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit));
  return out;
}

/** `readerSignals` of many readers in one query, by reader, each newest first. */
export async function readerSignalsOf(db: Db, userIds: readonly number[]): Promise<Map<number, ReaderSignalRow[]>> {
  const out = new Map<number, ReaderSignalRow[]>();
  if (userIds.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('reader_signals')
    .selectAll()
    .where('user_id', 'in', [...userIds])
    .orderBy('user_id')
    .orderBy('created_at', 'desc')
    .orderBy('kind')
    .orderBy('value')
    .execute();
  for (const r of rows) {
    const list = out.get(r.user_id);
    if (list) list.push(r);
    else out.set(r.user_id, [r]);
  }
  return out;
}

/**
 * Ids of papers published at or after `since` and before `until` (when given), not withdrawn,
 * newest first, at most `limit`.
 */
export async function recentPaperIds(
  db: Db,
  since: string,
  limit: number,
  until: string | null = null,
): Promise<number[]> {
  let q = db.kysely.selectFrom('papers').select('id').where('published_at', '>=', since);
  if (until !== null) q = q.where('published_at', '<', until);
  const rows = await q
    .where('withdrawn', '=', 0)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Whether any reader has a signal For you could learn from (an explicit one, a vote, a save or an
 * approved claim): the start-up warm-up is skipped on a site where none has.
 */
export async function anyReaderSignals(db: Db): Promise<boolean> {
  const one = async (q: Promise<unknown[]>) => (await q).length > 0;
  const k = db.kysely;
  const found = await Promise.all([
    one(k.selectFrom('reader_signals').select('user_id').limit(1).execute()),
    one(k.selectFrom('votes').select('user_id').limit(1).execute()),
    one(k.selectFrom('saved_papers').select('user_id').limit(1).execute()),
    one(k.selectFrom('authorship_claims').select('user_id').where('status', '=', 'approved').limit(1).execute()),
  ]);
  return found.some(Boolean);
}

/** The newest publication date of any paper (what "this week" means on a site fed an old archive). */
export async function newestPublishedAt(db: Db): Promise<string | null> {
  const r = await db.kysely
    .selectFrom('papers')
    .select('published_at')
    .where('published_at', 'is not', null)
    .orderBy('published_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.published_at ?? null;
}

/** A new private-feed token (its hash) for a reader. */
export async function insertFeedToken(db: Db, userId: number, tokenHash: string, at: string): Promise<void> {
  await db.kysely
    .insertInto('feed_tokens')
    .values({ user_id: userId, token_hash: tokenHash, created_at: at })
    .execute();
}

/** The reader a live feed token belongs to, or undefined (unknown or revoked). */
export async function feedTokenUser(db: Db, tokenHash: string): Promise<number | undefined> {
  const r = await db.kysely
    .selectFrom('feed_tokens')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r?.user_id;
}

export async function liveFeedTokens(db: Db, userId: number): Promise<Array<{ id: number; created_at: string }>> {
  return db.kysely
    .selectFrom('feed_tokens')
    .select(['id', 'created_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
}

/** Revoke every live feed token of a reader (their feed address stops working). */
export async function revokeFeedTokens(db: Db, userId: number, at: string): Promise<number> {
  const r = await db.kysely
    .updateTable('feed_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

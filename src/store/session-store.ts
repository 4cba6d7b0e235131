import type { Db } from '../db/open.js';
import type { OneTimePurpose, UserRow } from '../db/schema.js';
import { storeError } from './store-errors.js';

/** Sessions and one-time tokens; only SHA-256 hashes of the tokens are stored. */
export async function insertSession(
  db: Db,
  s: { tokenHash: string; userId: number; createdAt: string; expiresAt: string },
): Promise<void> {
  try {
    await db.kysely
      .insertInto('sessions')
      .values({ token_hash: s.tokenHash, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt })
      .execute();
  } catch (err) {
    throw storeError(`create session for user ${s.userId}`, err);
  }
}

/** The session's user when the session exists and has not expired at `now`. */
export async function findSessionUser(db: Db, tokenHash: string, now: string): Promise<UserRow | undefined> {
  return db.kysely
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.kysely.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

/** End every session of a user (password change, ban); returns how many ended. */
export async function deleteUserSessions(db: Db, userId: number, exceptHash?: string): Promise<number> {
  let q = db.kysely.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptHash) q = q.where('token_hash', '!=', exceptHash);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Delete sessions that expired at or before `now` (they no longer sign anyone in); how many. */
export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
  const r = await db.kysely.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertOneTimeToken(
  db: Db,
  t: {
    tokenHash: string;
    userId: number;
    purpose: OneTimePurpose;
    newEmail?: string | null;
    createdAt: string;
    expiresAt: string;
  },
): Promise<void> {
  try {
    await db.kysely
      .insertInto('one_time_tokens')
      .values({
        token_hash: t.tokenHash,
        user_id: t.userId,
        purpose: t.purpose,
        new_email: t.newEmail ?? null,
        created_at: t.createdAt,
        expires_at: t.expiresAt,
        used_at: null,
      })
      .execute();
  } catch (err) {
    throw storeError(`create ${t.purpose} token for user ${t.userId}`, err);
  }
}

/**
 * Use a one-time token: marks it used in the same statement that checks it is unused and unexpired,
 * so two requests racing with one link cannot both succeed. Returns the token's user and new email.
 */
export async function consumeOneTimeToken(
  db: Db,
  tokenHash: string,
  purpose: OneTimePurpose,
  now: string,
): Promise<{ userId: number; newEmail: string | null } | undefined> {
  const r = await db.kysely
    .updateTable('one_time_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['user_id', 'new_email'])
    .executeTakeFirst();
  return r ? { userId: r.user_id, newEmail: r.new_email } : undefined;
}

/** Invalidate a user's outstanding tokens of one purpose (a new reset link voids older ones). */
export async function voidOneTimeTokens(db: Db, userId: number, purpose: OneTimePurpose, now: string): Promise<void> {
  await db.kysely
    .updateTable('one_time_tokens')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/**
 * Delete one-time tokens that can no longer be used: used (or voided) ones, and those that
 * expired at or before `now`. Nothing reads a spent token (a stale link gets the same answer as an
 * unknown one), so nothing is lost. Returns how many.
 */
export async function deleteSpentOneTimeTokens(db: Db, now: string): Promise<number> {
  const r = await db.kysely
    .deleteFrom('one_time_tokens')
    .where((eb) => eb.or([eb('used_at', 'is not', null), eb('expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

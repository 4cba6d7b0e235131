import type { Db } from '../db/open.js';
import type { OutboxRow, Role, SubscriberRow } from '../db/schema.js';

/**
 * Queries only the admin console makes, over tables other stores own (the outbox, subscribers,
 * users, jobs): kept apart so the hot paths' stores stay about the site's own work.
 */

/** Digest mails that failed for good, newest first. */
export async function listFailedOutbox(db: Db, limit: number): Promise<OutboxRow[]> {
  return db.kysely
    .selectFrom('digest_outbox')
    .selectAll()
    .where('status', '=', 'failed')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Put a failed digest mail back in the outbox, due now with fresh attempts: the next send-digests
 * run (every 15 minutes) sends it. False when the row is not failed (sent meanwhile, or unknown).
 */
export async function requeueOutboxRow(db: Db, id: number, now: string): Promise<boolean> {
  const r = await db.kysely
    .updateTable('digest_outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Subscribers whose address bounced for good (a 5xx reply), newest first. */
export async function listSuppressed(db: Db, limit: number): Promise<SubscriberRow[]> {
  return db.kysely
    .selectFrom('subscribers')
    .selectAll()
    .where('status', '=', 'suppressed')
    .orderBy('suppressed_at', 'desc')
    .limit(limit)
    .execute();
}

export interface AdminUserRow {
  id: number;
  username: string;
  email: string;
  role: Role;
  banned: number;
  email_verified: number;
  created_at: string;
}

/** Users, admins and curators first, then by name; `q` filters by name or address. */
export async function listUsersForAdmin(db: Db, q: string, limit: number): Promise<AdminUserRow[]> {
  let query = db.kysely
    .selectFrom('users')
    .select(['id', 'username', 'email', 'role', 'banned', 'email_verified', 'created_at']);
  if (q) {
    // `%` and `_` typed by an admin widen the match: harmless in a search of one's own users.
    const like = `%${q.toLowerCase()}%`;
    query = query.where((eb) => eb.or([eb(eb.fn('lower', ['username']), 'like', like), eb('email', 'like', like)]));
  }
  return query
    .orderBy((eb) => eb.case().when('role', '=', 'admin').then(0).when('role', '=', 'curator').then(1).else(2).end())
    .orderBy('username')
    .limit(limit)
    .execute();
}

/** Stop a job that has not finished: queued or failed (waiting to retry) → dead, with who stopped it. */
export async function cancelJob(db: Db, id: number, reason: string, now: string): Promise<boolean> {
  const r = await db.kysely
    .updateTable('jobs')
    .set({ state: 'dead', last_error: reason, finished_at: now, updated_at: now, locked_by: null, locked_until: null })
    .where('id', '=', id)
    .where('state', 'in', ['queued', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

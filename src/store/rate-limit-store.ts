import { sql } from 'kysely';
import type { Db } from '../db/open.js';

/**
 * Count one hit in a fixed window and return the window's total so far. The upsert is a single
 * statement, so concurrent processes sharing the database count exactly.
 *
 * @example
 * await hitRateLimit(db, 'login', 'ip:203.0.113.9', 1764130800) // 1, then 2, …
 */
export async function hitRateLimit(db: Db, name: string, subject: string, windowStart: number): Promise<number> {
  const r = await db.kysely
    .insertInto('rate_limit_hits')
    .values({ name, subject, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc.columns(['name', 'subject', 'window_start']).doUpdateSet({ hits: sql`rate_limit_hits.hits + 1` }),
    )
    .returning('hits')
    .executeTakeFirstOrThrow();
  return Number(r.hits);
}

/** Drop windows that ended before `before` (seconds since the epoch). */
export async function pruneRateLimits(db: Db, name: string, before: number): Promise<void> {
  await db.kysely.deleteFrom('rate_limit_hits').where('name', '=', name).where('window_start', '<', before).execute();
}

/** Forget a subject's hits (e.g. after a successful login, the per-account login counter resets). */
export async function clearRateLimit(db: Db, name: string, subject: string): Promise<void> {
  await db.kysely.deleteFrom('rate_limit_hits').where('name', '=', name).where('subject', '=', subject).execute();
}

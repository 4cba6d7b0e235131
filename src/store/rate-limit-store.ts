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

/** Drop a limit's windows that started before `before` (seconds since the epoch); how many. */
export async function pruneRateLimits(db: Db, name: string, before: number): Promise<number> {
  const r = await db.kysely
    .deleteFrom('rate_limit_hits')
    .where('name', '=', name)
    .where('window_start', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Drop the counters of limits not in `names` (a limit renamed or removed): nothing reads them. */
export async function deleteRateLimitsExcept(db: Db, names: readonly string[]): Promise<number> {
  let q = db.kysely.deleteFrom('rate_limit_hits');
  if (names.length > 0) q = q.where('name', 'not in', names);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Forget a subject's hits (e.g. after a successful login, the per-account login counter resets). */
export async function clearRateLimit(db: Db, name: string, subject: string): Promise<void> {
  await db.kysely.deleteFrom('rate_limit_hits').where('name', '=', name).where('subject', '=', subject).execute();
}

import type { Db } from '../db/open.js';

/**
 * Run `fn` in a read-write transaction (on SQLite `BEGIN IMMEDIATE`: the write lock first, see
 * db/sqlite-driver.ts), or inside the caller's when `db` is already one, so a source can
 * write papers and their listing entries atomically while each store function stays usable alone.
 *
 * @example
 * await withTransaction(db, async (tdb) => {
 *   const { ids } = await upsertPapers(tdb, records);
 *   await upsertListingEntries(tdb, entriesFor(ids));
 * });
 */
export async function withTransaction<T>(db: Db, fn: (tdb: Db) => Promise<T>): Promise<T> {
  if (db.kysely.isTransaction) return fn(db);
  return db.kysely.transaction().execute((trx) => fn({ ...db, kysely: trx }));
}

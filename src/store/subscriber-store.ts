import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/open.js';
import type { DigestFrequency, SubscriberRow, SubscribersTable } from '../db/schema.js';
import { storeError } from './store-errors.js';

export type NewSubscriber = Insertable<SubscribersTable>;
type SubscriberPatch = Updateable<SubscribersTable>;

/** Rows per INSERT when importing (well under SQLite's 32,766 bound parameters at 19 columns). */
const INSERT_BATCH_ROWS = 500;

function fail(what: string, err: unknown): never {
  throw storeError(`${what}`, err);
}

export async function findSubscriberByEmail(db: Db, email: string): Promise<SubscriberRow | undefined> {
  return db.kysely.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findSubscriberById(db: Db, id: number): Promise<SubscriberRow | undefined> {
  return db.kysely.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findSubscriberByUser(db: Db, userId: number): Promise<SubscriberRow | undefined> {
  return db.kysely.selectFrom('subscribers').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Insert one subscriber; returns the row, or undefined when the address is already known. */
export async function insertSubscriber(db: Db, row: NewSubscriber): Promise<SubscriberRow | undefined> {
  try {
    return await db.kysely
      .insertInto('subscribers')
      .values(row)
      .onConflict((oc) => oc.column('email').doNothing())
      .returningAll()
      .executeTakeFirst();
  } catch (err) {
    fail(`insert subscriber ${row.email}`, err);
  }
}

export async function updateSubscriber(db: Db, id: number, patch: SubscriberPatch): Promise<SubscriberRow | undefined> {
  try {
    return await db.kysely.updateTable('subscribers').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
  } catch (err) {
    fail(`update subscriber ${id}`, err);
  }
}

/** Insert many (import); addresses already known are left as they are. Returns how many were new. */
export async function insertSubscribersIgnoringKnown(db: Db, rows: NewSubscriber[]): Promise<number> {
  let inserted = 0;
  try {
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += INSERT_BATCH_ROWS) {
        const r = await trx
          .insertInto('subscribers')
          .values(rows.slice(i, i + INSERT_BATCH_ROWS))
          .onConflict((oc) => oc.column('email').doNothing())
          .executeTakeFirst();
        inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
      }
    });
  } catch (err) {
    fail(`import ${rows.length} subscribers`, err);
  }
  return inserted;
}

/** One page of subscribers in id order (keyset paging: constant cost per page at any size). */
export async function subscribersPage(
  db: Db,
  opts: { afterId: number; limit: number; status?: SubscriberRow['status']; frequency?: DigestFrequency },
): Promise<SubscriberRow[]> {
  let q = db.kysely.selectFrom('subscribers').selectAll().where('id', '>', opts.afterId);
  if (opts.status) q = q.where('status', '=', opts.status);
  if (opts.frequency) q = q.where('frequency', '=', opts.frequency);
  return q.orderBy('id').limit(opts.limit).execute();
}

export async function countSubscribersByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db.kysely
    .selectFrom('subscribers')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

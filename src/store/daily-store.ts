import type { Db } from '../db/open.js';
import { withTransaction } from './transaction.js';

export interface DailyEntryInput {
  paperId: number;
  day: string;
  position: number;
  submittedBy: string | null;
  submitterFullname: string | null;
  submittedAt: string | null;
  source: string;
  organizationId: number | null;
}

/**
 * Record papers featured on a day's Daily Papers list. One entry per (paper, day):
 * re-importing a day updates its entries in place; returns 'inserted' | 'updated' | 'unchanged' per input.
 */
export async function upsertDailyEntries(db: Db, entries: DailyEntryInput[]): Promise<Array<'inserted' | 'updated' | 'unchanged'>> {
  if (entries.length === 0) return [];
  try {
    return await db.kysely.transaction().execute(async (trx) => {
      const out: Array<'inserted' | 'updated' | 'unchanged'> = [];
      const now = new Date().toISOString();
      for (const e of entries) {
        const cols = {
          position: e.position,
          submitted_by: e.submittedBy,
          submitter_fullname: e.submitterFullname,
          submitted_at: e.submittedAt,
          source: e.source,
          organization_id: e.organizationId,
        };
        const old = await trx
          .selectFrom('daily_entries')
          .selectAll()
          .where('paper_id', '=', e.paperId)
          .where('day', '=', e.day)
          .executeTakeFirst();
        if (!old) {
          await trx.insertInto('daily_entries').values({ paper_id: e.paperId, day: e.day, created_at: now, ...cols }).execute();
          out.push('inserted');
        } else if (Object.entries(cols).some(([k, v]) => (old as Record<string, unknown>)[k] !== v)) {
          await trx.updateTable('daily_entries').set(cols).where('id', '=', old.id).execute();
          out.push('updated');
        } else out.push('unchanged');
      }
      return out;
    });
  } catch (err) {
    throw new Error(`store: cannot upsert daily entries: ${(err as Error).message}`);
  }
}

export interface ListingEntryInput {
  paperId: number;
  day: string;
  primaryCategory: string | null;
}

/**
 * Record papers on an arXiv listing day ("New on arXiv"). Idempotent; first_appearance is
 * recomputed for the touched papers so imports in any order agree on which day was first.
 */
export async function upsertListingEntries(db: Db, entries: ListingEntryInput[]): Promise<number> {
  if (entries.length === 0) return 0;
  try {
    return await withTransaction(db, async ({ kysely: trx }) => {
      const inserted = await trx
        .insertInto('listing_entries')
        .values(entries.map((e) => ({ paper_id: e.paperId, day: e.day, first_appearance: 0, primary_category: e.primaryCategory })))
        .onConflict((oc) => oc.columns(['paper_id', 'day']).doNothing())
        .executeTakeFirst();
      const n = Number(inserted.numInsertedOrUpdatedRows ?? 0);
      if (n > 0) {
        const paperIds = [...new Set(entries.map((e) => e.paperId))];
        await trx
          .updateTable('listing_entries as le')
          .set((eb) => ({
            first_appearance: eb
              .case()
              .when(
                'le.day',
                '=',
                eb.selectFrom('listing_entries as f').select((f) => f.fn.min('f.day').as('d')).whereRef('f.paper_id', '=', 'le.paper_id'),
              )
              .then(1)
              .else(0)
              .end(),
          }))
          .where('le.paper_id', 'in', paperIds)
          .execute();
      }
      return n;
    });
  } catch (err) {
    throw new Error(`store: cannot upsert listing entries: ${(err as Error).message}`);
  }
}

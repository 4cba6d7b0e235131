import type { Db } from '../db/open.js';
import type { HarvestStateTable } from '../db/schema.js';

type HarvestState = Omit<HarvestStateTable, 'source' | 'updated_at'>;

export async function getHarvestState(db: Db, source: string): Promise<HarvestState | null> {
  const row = await db.kysely.selectFrom('harvest_state').selectAll().where('source', '=', source).executeTakeFirst();
  if (!row) return null;
  return {
    datestamp: row.datestamp,
    resumption_token: row.resumption_token,
    run_from: row.run_from,
    run_until: row.run_until,
  };
}

export async function saveHarvestState(db: Db, source: string, state: HarvestState): Promise<void> {
  const updated_at = new Date().toISOString();
  await db.kysely
    .insertInto('harvest_state')
    .values({ source, ...state, updated_at })
    .onConflict((oc) => oc.column('source').doUpdateSet({ ...state, updated_at }))
    .execute();
}

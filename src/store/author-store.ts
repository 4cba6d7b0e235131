import { sql } from 'kysely';
import type { Db } from '../db/open.js';
import { surnameLikePatterns } from '../model/author-names.js';

/** Distinct spellings of authors whose surname may be `surname` (a nameKey), with their paper counts. */
export async function authorSpellings(db: Db, surname: string): Promise<Array<{ name: string; papers: number }>> {
  const [spaced, alone] = surnameLikePatterns(surname);
  const rows = await db.kysely
    .selectFrom('paper_authors')
    .select(['name', (eb) => eb.fn.count<number>('paper_id').distinct().as('papers')])
    .where((eb) => eb.or([eb(sql`lower(name)`, 'like', spaced), eb(sql`lower(name)`, 'like', alone)]))
    .groupBy('name')
    .execute();
  return rows.map((r) => ({ name: r.name, papers: Number(r.papers) }));
}

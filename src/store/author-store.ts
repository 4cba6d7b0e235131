import type { Db } from '../db/open.js';
import { surnameSkeleton } from '../model/author-names.js';

/**
 * Distinct spellings of authors whose surname may be `surname` (a surnameKey), with their paper
 * counts: the spellings sharing its skeleton (author_names, indexed), counted in paper_authors.
 */
export async function authorSpellings(db: Db, surname: string): Promise<Array<{ name: string; papers: number }>> {
  const rows = await db.kysely
    .selectFrom('paper_authors')
    .select(['name', (eb) => eb.fn.count<number>('paper_id').distinct().as('papers')])
    .where('name', 'in', (eb) =>
      eb.selectFrom('author_names').select('name').where('skeleton', '=', surnameSkeleton(surname)),
    )
    .groupBy('name')
    .execute();
  return rows.map((r) => ({ name: r.name, papers: Number(r.papers) }));
}

import type { Db } from '../db/open.js';
import { storeError } from './store-errors.js';

/**
 * Papers with no categories (known only from a source that lists none, like Hugging Face's daily
 * list) that arXiv was not asked about since `askedBefore`: newest first, so today's list fills first.
 *
 * @example await papersMissingCategories(db, { askedBefore: '2026-06-25T00:00:00.000Z', limit: 100 })
 * // ['2606.01234', …]
 */
export async function papersMissingCategories(db: Db, o: { askedBefore: string; limit: number }): Promise<string[]> {
  try {
    const rows = await db.kysely
      .selectFrom('papers')
      .select('arxiv_id')
      .where('categories', '=', '[]')
      .where((eb) => eb.or([eb('categories_asked_at', 'is', null), eb('categories_asked_at', '<', o.askedBefore)]))
      .orderBy('id', 'desc')
      .limit(o.limit)
      .execute();
    return rows.map((r) => r.arxiv_id);
  } catch (err) {
    throw storeError('list papers without categories', err);
  }
}

/** Record that arXiv was asked about these papers' categories at `at` (answered or not). */
export async function markCategoriesAsked(db: Db, arxivIds: string[], at: string): Promise<void> {
  if (arxivIds.length === 0) return;
  try {
    await db.kysely.updateTable('papers').set({ categories_asked_at: at }).where('arxiv_id', 'in', arxivIds).execute();
  } catch (err) {
    throw storeError(`mark ${arxivIds.length} papers as asked for categories`, err);
  }
}

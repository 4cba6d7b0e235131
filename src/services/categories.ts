import type { App } from '../app.js';
import type { ArxivClient } from '../ingest/atom/client.js';
import { atomEntryToRecord } from '../ingest/atom/parse.js';
import { emptyRecord } from '../model/paper.js';
import { markCategoriesAsked, papersMissingCategories } from '../store/category-store.js';
import { upsertPapers } from '../store/paper-store.js';

/** Papers asked about per run: one arXiv API request carries up to 100 ids. */
export const FILL_CATEGORIES_LIMIT = 100;
/** A paper arXiv gave no categories for is asked again after this many days. */
const CATEGORIES_RETRY_DAYS = 7;
const MS_PER_DAY = 86_400_000;

/**
 * Fill the categories of papers known only from a source that lists none (Hugging Face's daily
 * list): ask arXiv's API for up to `limit` of them in one request and merge in only the categories
 * (the rest of the record stays as imported). Papers arXiv does not answer for wait
 * CATEGORIES_RETRY_DAYS before the next ask. A failed request throws; the job queue retries it.
 *
 * @example await fillCategories(app, new ArxivClient()) // { asked: 12, filled: 12 }
 */
export async function fillCategories(
  app: App,
  arxiv: Pick<ArxivClient, 'lookupIds'>,
  limit = FILL_CATEGORIES_LIMIT,
): Promise<{ asked: number; filled: number }> {
  const now = app.clock.now();
  const askedBefore = new Date(now.getTime() - CATEGORIES_RETRY_DAYS * MS_PER_DAY).toISOString();
  const ids = await papersMissingCategories(app.db, { askedBefore, limit });
  if (ids.length === 0) return { asked: 0, filled: 0 };
  const records = (await arxiv.lookupIds(ids))
    .map(atomEntryToRecord)
    .filter((r) => r.categories.length > 0 && ids.includes(r.arxivId))
    .map((r) => ({ ...emptyRecord(r.arxivId), categories: r.categories }));
  const { ids: changed } = await upsertPapers(app.db, records);
  await markCategoriesAsked(app.db, ids, now.toISOString());
  if (changed.length > 0) app.contentVersion.paperChanged(...changed);
  return { asked: ids.length, filled: records.length };
}

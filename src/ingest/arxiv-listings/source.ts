import { upsertListingEntries } from '../../store/daily-store.js';
import { upsertPapers } from '../../store/paper-store.js';
import { withTransaction } from '../../store/transaction.js';
import type { ImportSource } from '../import-runner.js';
import { readJsonLines } from '../json-lines.js';
import { type ListingRecord, listingDayFromFile, parseListingLine } from './parse.js';

/** `paperboy import arxiv-listings dd/2025-03-18.jsonl …`: papers plus the day's New on arXiv list. */
export const arxivListingsSource: ImportSource<ListingRecord> = {
  name: 'arxiv-listings',
  async *read(file) {
    const day = listingDayFromFile(file);
    if (!day) {
      yield { file, line: 0, error: 'file name must end in YYYY-MM-DD.jsonl (the listing day)' };
      return;
    }
    yield* readJsonLines(file, (obj) => parseListingLine(obj, day));
  },
  // Papers and their listing entries commit together: a crash never leaves one without the other.
  write: (db, values) =>
    withTransaction(db, async (tdb) => {
      const { status, ids } = await upsertPapers(
        tdb,
        values.map((v) => v.paper),
      );
      await upsertListingEntries(
        tdb,
        values.map((v, i) => ({ paperId: ids[i], day: v.day, primaryCategory: v.paper.categories[0] ?? null })),
      );
      return status;
    }),
};

import fs from 'node:fs/promises';
import { upsertDailyEntries } from '../../store/daily-store.js';
import { upsertOrganizations } from '../../store/organization-store.js';
import { setHfRecorded, setImportedCommentCounts, type UpsertStatus, upsertPapers } from '../../store/paper-store.js';
import { withTransaction } from '../../store/transaction.js';
import type { ImportSource } from '../import-runner.js';
import { type HfDailyRecord, hfDayFromFile, parseHfItem, unwrapDay } from './parse.js';

/** A day's response is a few hundred KB; a file far bigger is not one. */
const MAX_HF_DAY_FILE_BYTES = 64 * 1024 * 1024;

/**
 * `paperboy import hf-daily hf-daily/2025-06-02.json …`: each file is the API's answer for the
 * day in its name. "line" in a reject is the item's 1-based index in the file (0: the whole file).
 */
export const hfDailySource: ImportSource<HfDailyRecord> = {
  name: 'hf-daily',
  async *read(file) {
    const day = hfDayFromFile(file);
    if (!day) {
      yield { file, line: 0, error: 'file name must end in YYYY-MM-DD.json (the day the entries belong to)' };
      return;
    }
    const stat = await fs.stat(file);
    if (stat.size > MAX_HF_DAY_FILE_BYTES) {
      yield {
        file,
        line: 0,
        error: `file is ${stat.size} bytes; a day's response is at most ${MAX_HF_DAY_FILE_BYTES}`,
      };
      return;
    }
    let items: unknown[];
    try {
      items = unwrapDay(JSON.parse(await fs.readFile(file, 'utf8')), day);
    } catch (err) {
      yield {
        file,
        line: 0,
        error: err instanceof SyntaxError ? `not valid JSON: ${err.message}` : (err as Error).message,
      };
      return;
    }
    for (const [i, raw] of items.entries()) {
      try {
        yield { file, line: i + 1, value: parseHfItem(raw, day, i + 1) };
      } catch (err) {
        yield { file, line: i + 1, error: (err as Error).message };
      }
    }
  },
  // Organisations, papers, entries and comment counts commit together: a crash leaves none half-done.
  write: (db, values) =>
    withTransaction(db, async (tdb) => {
      const orgs = values.flatMap((v) => [v.organization, v.submitterOrganization]).filter((o) => o !== null);
      const orgIds = await upsertOrganizations(tdb, orgs);
      const { status, ids } = await upsertPapers(
        tdb,
        values.map((v) => v.paper),
      );
      const entries = await upsertDailyEntries(
        tdb,
        values.map((v, i) => ({
          paperId: ids[i],
          day: v.day,
          position: v.position,
          submittedBy: v.submittedBy,
          submitterFullname: v.submitterFullname,
          submittedAt: v.submittedAt,
          source: 'hf-daily',
          organizationId: v.organization ? (orgIds.get(v.organization.name) ?? null) : null,
          submitterAvatarUrl: v.submitterAvatarUrl,
          thumbnailUrl: v.thumbnailUrl,
          mediaUrls: v.mediaUrls,
          upvotes: v.upvotes,
          numComments: v.numComments,
          discussionId: v.discussionId,
          isAuthorParticipating: v.isAuthorParticipating,
          submitterOrganizationId: v.submitterOrganization ? (orgIds.get(v.submitterOrganization.name) ?? null) : null,
          hfPublishedAt: v.recorded.publishedAt,
          hfTitle: v.recorded.itemTitle,
          hfSummary: v.recorded.itemSummary,
        })),
      );
      const recorded = await setHfRecorded(
        tdb,
        values.map((v, i) => ({ paperId: ids[i], ...v.recorded })),
      );
      const commented = await setImportedCommentCounts(
        tdb,
        values.map((v, i) => ({ paperId: ids[i], count: v.numComments })),
      );
      // A known paper whose day entry or comment count moved counts as updated.
      return status.map(
        (s, i): UpsertStatus =>
          s === 'unchanged' && (entries[i] !== 'unchanged' || commented.has(ids[i]) || recorded.has(ids[i]))
            ? 'updated'
            : s,
      );
    }),
};

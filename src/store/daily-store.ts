import type { Db } from '../db/open.js';
import { storeError } from './store-errors.js';
import { withTransaction } from './transaction.js';

interface DailyEntryInput {
  paperId: number;
  day: string;
  position: number;
  submittedBy: string | null;
  submitterFullname: string | null;
  submittedAt: string | null;
  source: string;
  organizationId: number | null;
  /** Hugging Face extras (migration 0002); absent means unknown. */
  submitterAvatarUrl?: string | null;
  thumbnailUrl?: string | null;
  mediaUrls?: string[] | null;
  upvotes?: number | null;
  numComments?: number;
  discussionId?: string | null;
  isAuthorParticipating?: boolean | null;
  submitterOrganizationId?: number | null;
  /** The Hugging Face item's outer publishedAt as recorded (migration 0049). */
  hfPublishedAt?: string | null;
  hfTitle?: string | null;
  hfSummary?: string | null;
}

/** Rows per multi-row INSERT: well under both databases' bound-parameter limits (20 columns each). */
const DAILY_INSERT_CHUNK = 500;

function entryColumns(e: DailyEntryInput) {
  return {
    position: e.position,
    submitted_by: e.submittedBy,
    submitter_fullname: e.submitterFullname,
    submitted_at: e.submittedAt,
    source: e.source,
    organization_id: e.organizationId,
    submitter_avatar_url: e.submitterAvatarUrl ?? null,
    thumbnail_url: e.thumbnailUrl ?? null,
    media_urls: e.mediaUrls && e.mediaUrls.length > 0 ? JSON.stringify(e.mediaUrls) : null,
    upvotes: e.upvotes ?? null,
    num_comments: e.numComments ?? 0,
    discussion_id: e.discussionId ?? null,
    is_author_participating: e.isAuthorParticipating == null ? null : e.isAuthorParticipating ? 1 : 0,
    submitter_organization_id: e.submitterOrganizationId ?? null,
    hf_published_at: e.hfPublishedAt ?? null,
    hf_title: e.hfTitle ?? null,
    hf_summary: e.hfSummary ?? null,
  };
}

/**
 * Record papers featured on a day's Daily Papers list. One entry per (paper, day):
 * re-importing a day updates its entries in place; returns 'inserted' | 'updated' | 'unchanged' per input.
 * One read for the whole batch and one multi-row insert, so a day costs a few round trips.
 */
export async function upsertDailyEntries(
  db: Db,
  entries: DailyEntryInput[],
): Promise<Array<'inserted' | 'updated' | 'unchanged'>> {
  if (entries.length === 0) return [];
  const key = (paperId: number, day: string) => `${paperId}|${day}`;
  try {
    return await withTransaction(db, async ({ kysely: trx }) => {
      const now = new Date().toISOString();
      const existing = await trx
        .selectFrom('daily_entries')
        .selectAll()
        .where('paper_id', 'in', [...new Set(entries.map((e) => e.paperId))])
        .execute();
      const stored = new Map<string, Record<string, unknown>>(existing.map((r) => [key(r.paper_id, r.day), r]));
      // The last input for a (paper, day) wins; earlier duplicates in the batch report like it.
      const latest = new Map<string, DailyEntryInput>();
      for (const e of entries) latest.set(key(e.paperId, e.day), e);
      const status = new Map<string, 'inserted' | 'updated' | 'unchanged'>();
      const inserts = [];
      for (const [k, e] of latest) {
        const cols = entryColumns(e);
        const old = stored.get(k);
        if (!old) {
          inserts.push({ paper_id: e.paperId, day: e.day, created_at: now, ...cols });
          status.set(k, 'inserted');
        } else if (Object.entries(cols).some(([c, v]) => old[c] !== v)) {
          await trx
            .updateTable('daily_entries')
            .set(cols)
            .where('id', '=', old.id as number)
            .execute();
          status.set(k, 'updated');
        } else status.set(k, 'unchanged');
      }
      for (let i = 0; i < inserts.length; i += DAILY_INSERT_CHUNK) {
        await trx
          .insertInto('daily_entries')
          .values(inserts.slice(i, i + DAILY_INSERT_CHUNK))
          .execute();
      }
      return entries.map((e) => status.get(key(e.paperId, e.day))!);
    });
  } catch (err) {
    throw storeError(`upsert daily entries`, err);
  }
}

interface ListingEntryInput {
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
        .values(
          entries.map((e) => ({
            paper_id: e.paperId,
            day: e.day,
            first_appearance: 0,
            primary_category: e.primaryCategory,
          })),
        )
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
                eb
                  .selectFrom('listing_entries as f')
                  .select((f) => f.fn.min('f.day').as('d'))
                  .whereRef('f.paper_id', '=', 'le.paper_id'),
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
    throw storeError(`upsert listing entries`, err);
  }
}

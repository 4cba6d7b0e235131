import type { Db } from '../db/open.js';
import type { NewPaperRow, PaperRow } from '../db/schema.js';
import { nameSkeleton } from '../model/author-names.js';
import { mergePaper, type PaperRecord, type PaperState, paperHash, sameContent } from '../model/paper.js';
import { upsertOrganizations } from './organization-store.js';
import { storeError } from './store-errors.js';
import { withTransaction } from './transaction.js';

export type UpsertStatus = 'inserted' | 'updated' | 'unchanged';

interface UpsertResult {
  status: UpsertStatus[];
  /** Store id of each record's paper, in input order. */
  ids: number[];
}

/**
 * The columns a paper's stored state and its card read alike, as the model has them (0/1 as a
 * boolean, JSON text parsed). Spread where these fields go: key order is kept.
 */
export function datesAndLinks(
  row: Pick<
    PaperRow,
    | 'published_at'
    | 'updated_at'
    | 'withdrawn'
    | 'github_repo'
    | 'github_stars'
    | 'project_page'
    | 'ai_summary'
    | 'ai_keywords'
  >,
) {
  return {
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    withdrawn: row.withdrawn === 1,
    githubRepo: row.github_repo,
    githubStars: row.github_stars,
    projectPage: row.project_page,
    aiSummary: row.ai_summary,
    aiKeywords: row.ai_keywords ? (JSON.parse(row.ai_keywords) as string[]) : null,
  };
}

function rowToState(row: PaperRow, orgName: string | null): PaperState {
  return {
    version: row.version,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors),
    categories: JSON.parse(row.categories),
    comment: row.comment,
    journalRef: row.journal_ref,
    doi: row.doi,
    license: row.license,
    ...datesAndLinks(row),
    importedUpvotes: row.imported_upvotes,
    organizationName: orgName,
    asOf: row.metadata_as_of,
  };
}

function stateToColumns(s: PaperState, orgId: number | null, hash: string) {
  return {
    version: s.version,
    title: s.title,
    abstract: s.abstract,
    authors: JSON.stringify(s.authors),
    author_count: s.authors.length,
    categories: JSON.stringify(s.categories),
    primary_category: s.categories[0] ?? null,
    comment: s.comment,
    journal_ref: s.journalRef,
    doi: s.doi,
    license: s.license,
    published_at: s.publishedAt,
    updated_at: s.updatedAt,
    withdrawn: s.withdrawn ? 1 : 0,
    github_repo: s.githubRepo,
    github_stars: s.githubStars,
    project_page: s.projectPage,
    organization_id: orgId,
    ai_summary: s.aiSummary,
    ai_keywords: s.aiKeywords ? JSON.stringify(s.aiKeywords) : null,
    imported_upvotes: s.importedUpvotes,
    metadata_as_of: s.asOf,
    content_hash: hash,
  };
}

/**
 * Rows per multi-row INSERT. PostgreSQL takes at most 65,535 bound parameters per statement and
 * SQLite 32,766; papers have 26 columns, so 500 rows (13,000 parameters) stays well inside both.
 */
const PAPER_INSERT_CHUNK_ROWS = 500;
/** Author rows (3 columns each) per multi-row INSERT; 4,000 rows = 12,000 parameters. */
const AUTHOR_INSERT_CHUNK_ROWS = 4000;
/** Ids per `IN (…)` list in bulk UPDATE/DELETE statements. */
const ID_LIST_CHUNK = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Insert new papers and merge records into known ones, in one transaction.
 * Idempotent: the same records a second time report every paper "unchanged" and write nothing.
 * Several records for one paper in a batch are merged in order.
 *
 * Speed (see BENCHMARKS.md, import): statements are set-based — one SELECT for the batch,
 * multi-row INSERTs for new papers and their authors, and one UPDATE per distinct "as of" day for
 * papers whose metadata is unchanged but seen again later — so a batch costs a handful of
 * statements instead of several per paper. Hashes are computed once per merged state; the stored
 * state's hash is the row's content_hash.
 *
 * @example
 * const { status, ids } = await upsertPapers(db, [record]); // status[0] === 'inserted'
 */
export async function upsertPapers(db: Db, records: PaperRecord[]): Promise<UpsertResult> {
  if (records.length === 0) return { status: [], ids: [] };
  try {
    return await withTransaction(db, async (tdb) => {
      const trx = tdb.kysely;
      const orgIds = await upsertOrganizations(
        tdb,
        records.filter((r) => r.organizationName).map((r) => ({ name: r.organizationName! })),
      );
      const arxivIds = [...new Set(records.map((r) => r.arxivId))];
      const stored = new Map<string, { row: PaperRow & { org_name: string | null }; state: PaperState }>();
      for (const part of chunks(arxivIds, ID_LIST_CHUNK)) {
        const existing = await trx
          .selectFrom('papers')
          .leftJoin('organizations', 'organizations.id', 'papers.organization_id')
          .selectAll('papers')
          .select('organizations.name as org_name')
          .where('papers.arxiv_id', 'in', part)
          .execute();
        for (const r of existing) stored.set(r.arxiv_id, { row: r, state: rowToState(r, r.org_name) });
      }

      // Merge every record for a paper in order; remember each record's own status.
      const merged = new Map<string, { state: PaperState; hash: string }>();
      const status: UpsertStatus[] = [];
      for (const rec of records) {
        const prev = merged.get(rec.arxivId);
        const old = stored.get(rec.arxivId);
        const before = prev ?? (old ? { state: old.state, hash: old.row.content_hash } : null);
        const state = mergePaper(before?.state ?? null, rec);
        // Most repeats change nothing: reuse the known hash rather than serialise and hash again.
        const hash = before && sameContent(before.state, state) ? before.hash : paperHash(state);
        merged.set(rec.arxivId, { state, hash });
        if (!before) status.push('inserted');
        else status.push(before.hash === hash ? 'unchanged' : 'updated');
      }

      const now = new Date().toISOString();
      const newRows: NewPaperRow[] = [];
      const authorsToWrite: Array<{ arxivId: string; authors: string[]; isNew: boolean }> = [];
      // Papers whose content is unchanged but which were seen again later: only "as of" moves.
      const asOfOnly = new Map<string, number[]>();
      for (const [arxivId, { state, hash }] of merged) {
        const orgId = state.organizationName ? (orgIds.get(state.organizationName) ?? null) : null;
        const old = stored.get(arxivId);
        if (!old) {
          newRows.push({
            arxiv_id: arxivId,
            ...stateToColumns(state, orgId, hash),
            upvotes: state.importedUpvotes,
            comment_count: 0,
            first_seen_at: now,
            modified_at: now,
          });
          authorsToWrite.push({ arxivId, authors: state.authors, isNew: true });
        } else if (old.row.content_hash !== hash) {
          const cols = stateToColumns(state, orgId ?? old.row.organization_id, hash);
          // Local votes sit on top of the imported count; keep them when the import moves.
          const upvotes = old.row.upvotes - old.row.imported_upvotes + state.importedUpvotes;
          // A changed abstract has its result facts extracted again (by the extract-facts job).
          const facts = old.state.abstract !== state.abstract ? { facts_version: null } : {};
          await trx
            .updateTable('papers')
            .set({ ...cols, ...facts, upvotes, modified_at: now })
            .where('id', '=', old.row.id)
            .execute();
          if (JSON.stringify(old.state.authors) !== JSON.stringify(state.authors)) {
            authorsToWrite.push({ arxivId, authors: state.authors, isNew: false });
          }
        } else if (old.row.metadata_as_of !== state.asOf) {
          const key = state.asOf ?? '';
          const list = asOfOnly.get(key) ?? [];
          list.push(old.row.id);
          asOfOnly.set(key, list);
        }
      }
      for (const [asOf, paperIds] of asOfOnly) {
        for (const part of chunks(paperIds, ID_LIST_CHUNK)) {
          await trx
            .updateTable('papers')
            .set({ metadata_as_of: asOf === '' ? null : asOf, modified_at: now })
            .where('id', 'in', part)
            .execute();
        }
      }
      const ids = new Map<string, number>();
      for (const [arxivId, s] of stored) ids.set(arxivId, s.row.id);
      for (const part of chunks(newRows, PAPER_INSERT_CHUNK_ROWS)) {
        const inserted = await trx.insertInto('papers').values(part).returning(['id', 'arxiv_id']).execute();
        for (const r of inserted) ids.set(r.arxiv_id, r.id);
      }
      const replaced = authorsToWrite.filter((a) => !a.isNew).map((a) => ids.get(a.arxivId)!);
      for (const part of chunks(replaced, ID_LIST_CHUNK)) {
        await trx.deleteFrom('paper_authors').where('paper_id', 'in', part).execute();
      }
      const authorRows = authorsToWrite.flatMap(({ arxivId, authors }) => {
        const paperId = ids.get(arxivId)!;
        return authors.map((name, position) => ({ paper_id: paperId, position, name }));
      });
      for (const part of chunks(authorRows, AUTHOR_INSERT_CHUNK_ROWS)) {
        await trx.insertInto('paper_authors').values(part).execute();
      }
      // Each new spelling once, keyed for /authors/{name} (author-store.ts).
      const spellings = [...new Set(authorRows.map((a) => a.name))].map((name) => ({
        name,
        skeleton: nameSkeleton(name),
      }));
      for (const part of chunks(spellings, AUTHOR_INSERT_CHUNK_ROWS)) {
        await trx
          .insertInto('author_names')
          .values(part)
          .onConflict((oc) => oc.column('name').doNothing())
          .execute();
      }
      return { status, ids: records.map((r) => ids.get(r.arxivId)!) };
    });
  } catch (err) {
    const first = records[0]?.arxivId;
    throw storeError(`upsert papers (${records.length}, first ${first})`, err);
  }
}

export async function findPaperByArxivId(db: Db, arxivId: string): Promise<PaperRow | undefined> {
  return db.kysely.selectFrom('papers').selectAll().where('arxiv_id', '=', arxivId).executeTakeFirst();
}

/** The newest publication date of any paper here (ISO), or null on an empty site. */
export async function newestPublishedAt(db: Db): Promise<string | null> {
  const r = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.max('published_at').as('newest'))
    .executeTakeFirst();
  return (r?.newest as string | null | undefined) ?? null;
}

export async function countPapers(db: Db): Promise<number> {
  const r = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Set the comment counts an import reports (Hugging Face numComments) without touching local
 * comments: comment_count moves by the difference. Returns the ids of the papers that changed.
 */
/**
 * Keep the title, summary and author names exactly as Hugging Face recorded them, beside the
 * normalised ones (the HF-compatible API returns these). Returns the ids whose values changed.
 */
export async function setHfRecorded(
  db: Db,
  values: Array<{ paperId: number; title: string; summary: string; authors: string[] }>,
): Promise<Set<number>> {
  const changed = new Set<number>();
  if (values.length === 0) return changed;
  try {
    await withTransaction(db, async ({ kysely: trx }) => {
      // The last value for a paper in the batch wins, as for the papers themselves.
      const want = new Map(
        values.map((v) => [
          v.paperId,
          { hf_title: v.title, hf_summary: v.summary, hf_authors: JSON.stringify(v.authors) },
        ]),
      );
      const rows = await trx
        .selectFrom('papers')
        .select(['id', 'hf_title', 'hf_summary', 'hf_authors'])
        .where('id', 'in', [...want.keys()])
        .execute();
      for (const row of rows) {
        const cols = want.get(row.id)!;
        if (row.hf_title === cols.hf_title && row.hf_summary === cols.hf_summary && row.hf_authors === cols.hf_authors)
          continue;
        await trx.updateTable('papers').set(cols).where('id', '=', row.id).execute();
        changed.add(row.id);
      }
    });
  } catch (err) {
    throw storeError(`set recorded Hugging Face values`, err);
  }
  return changed;
}

export async function setImportedCommentCounts(
  db: Db,
  counts: Array<{ paperId: number; count: number }>,
): Promise<Set<number>> {
  const changed = new Set<number>();
  if (counts.length === 0) return changed;
  try {
    await withTransaction(db, async ({ kysely: trx }) => {
      const want = new Map(counts.map((c) => [c.paperId, c.count]));
      const rows = await trx
        .selectFrom('papers')
        .select(['id', 'imported_comment_count'])
        .where('id', 'in', [...want.keys()])
        .execute();
      for (const row of rows) {
        const count = want.get(row.id)!;
        if (row.imported_comment_count === count) continue;
        const paperId = row.id;
        const r = await trx
          .updateTable('papers')
          .set((eb) => ({
            comment_count: eb(eb('comment_count', '-', eb.ref('imported_comment_count')), '+', count),
            imported_comment_count: count,
          }))
          .where('id', '=', paperId)
          .where('imported_comment_count', '<>', count)
          .executeTakeFirst();
        if (Number(r.numUpdatedRows ?? 0) > 0) changed.add(paperId);
      }
    });
  } catch (err) {
    throw storeError(`set imported comment counts`, err);
  }
  return changed;
}

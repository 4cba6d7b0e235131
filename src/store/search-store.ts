import type { Db } from '../db/open.js';
import type { IndexDoc } from '../search/segment.js';
import { storeError } from './store-errors.js';

/**
 * What the search engine reads from the database: papers in the shape its index needs, what
 * changed since it last looked, and the embeddings and models it keeps beside the papers.
 */

export interface IndexDocRow extends IndexDoc {
  modifiedAt: string;
}

function baseQuery(db: Db) {
  return db.kysely
    .selectFrom('papers')
    .leftJoin('organizations', 'organizations.id', 'papers.organization_id')
    .select([
      'papers.id',
      'papers.title',
      'papers.abstract',
      'papers.authors',
      'papers.categories',
      'papers.published_at',
      'papers.github_repo',
      'papers.modified_at',
      'organizations.name as org',
    ]);
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function toDoc(r: BaseRow): IndexDocRow {
  return {
    paperId: r.id,
    title: r.title,
    abstract: r.abstract,
    authors: safeList(r.authors),
    categories: safeList(r.categories),
    org: r.org ?? null,
    publishedAt: r.published_at,
    hasCode: r.github_repo !== null && r.github_repo !== '',
    modifiedAt: r.modified_at,
  };
}

function safeList(json: string): string[] {
  try {
    const v = JSON.parse(json);
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/** A page of papers in id order after `afterId` (keyset paging: constant cost per page at any depth). */
export async function indexDocsPage(db: Db, afterId: number, limit: number): Promise<IndexDocRow[]> {
  try {
    const rows = await baseQuery(db).where('papers.id', '>', afterId).orderBy('papers.id').limit(limit).execute();
    return rows.map(toDoc);
  } catch (err) {
    throw storeError(`read papers for the search index after id ${afterId}`, err);
  }
}

/**
 * Papers changed after (`since`, `afterId`) in (modified_at, id) order, at most `limit`: keyset
 * pages through any number of changes, even many stamped with the same millisecond. `afterId` 0
 * starts at `since` itself.
 */
export async function indexDocsChangedAfter(
  db: Db,
  since: string,
  afterId: number,
  limit: number,
): Promise<IndexDocRow[]> {
  try {
    const rows = await baseQuery(db)
      .where((eb) =>
        eb.or([
          eb('papers.modified_at', '>', since),
          eb.and([eb('papers.modified_at', '=', since), eb('papers.id', '>', afterId)]),
        ]),
      )
      .orderBy('papers.modified_at')
      .orderBy('papers.id')
      .limit(limit)
      .execute();
    return rows.map(toDoc);
  } catch (err) {
    throw storeError(`read papers changed since ${since} (after id ${afterId})`, err);
  }
}

/** The latest modification time and the number of papers: a cheap "did anything change?". */
export async function paperChangeMark(db: Db): Promise<{ lastModified: string | null; count: number }> {
  const r = await db.kysely
    .selectFrom('papers')
    .select((eb) => [eb.fn.max('modified_at').as('m'), eb.fn.countAll<number>().as('n')])
    .executeTakeFirstOrThrow();
  return { lastModified: (r.m as string | null) ?? null, count: Number(r.n) };
}

export async function latestModification(db: Db): Promise<string | null> {
  const r = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.max('modified_at').as('m'))
    .executeTakeFirstOrThrow();
  return (r.m as string | null) ?? null;
}

/** Every paper id, ascending (to find deletions). */
export async function allPaperIds(db: Db): Promise<number[]> {
  const rows = await db.kysely.selectFrom('papers').select('id').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Titles and abstracts of papers, for highlighting. */
export async function paperTexts(db: Db, ids: number[]): Promise<Map<number, { title: string; abstract: string }>> {
  const out = new Map<number, { title: string; abstract: string }>();
  if (ids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('papers')
    .select(['id', 'title', 'abstract'])
    .where('id', 'in', ids)
    .execute();
  for (const r of rows) out.set(r.id, { title: r.title, abstract: r.abstract });
  return out;
}

/** Rows per insert statement: SQLite allows 32,766 bound values; four per row stays far below. */
const VECTOR_ROWS_PER_STATEMENT = 500;

export async function savePaperVectors(
  db: Db,
  model: string,
  rows: Array<{ paperId: number; vector: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  const now = new Date().toISOString();
  try {
    await db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += VECTOR_ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + VECTOR_ROWS_PER_STATEMENT);
        await trx
          .insertInto('paper_vectors')
          .values(chunk.map((r) => ({ paper_id: r.paperId, model, vector: r.vector, computed_at: now })))
          .onConflict((oc) =>
            oc.column('paper_id').doUpdateSet((eb) => ({
              model: eb.ref('excluded.model'),
              vector: eb.ref('excluded.vector'),
              computed_at: eb.ref('excluded.computed_at'),
            })),
          )
          .execute();
      }
    });
  } catch (err) {
    throw storeError(`save ${rows.length} paper vectors (model ${model})`, err);
  }
}

/** Stored vectors of `model` computed at or after the paper's last change (older ones are stale). */
export async function paperVectorsPage(
  db: Db,
  model: string,
  afterId: number,
  limit: number,
): Promise<Array<{ paperId: number; vector: string }>> {
  const rows = await db.kysely
    .selectFrom('paper_vectors')
    .innerJoin('papers', 'papers.id', 'paper_vectors.paper_id')
    .select(['paper_vectors.paper_id', 'paper_vectors.vector'])
    .where('paper_vectors.model', '=', model)
    .whereRef('paper_vectors.computed_at', '>=', 'papers.modified_at')
    .where('paper_vectors.paper_id', '>', afterId)
    .orderBy('paper_vectors.paper_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ paperId: r.paper_id, vector: r.vector }));
}

export async function deleteAllPaperVectors(db: Db): Promise<void> {
  await db.kysely.deleteFrom('paper_vectors').execute();
}

export async function loadSearchModel(db: Db, name: string): Promise<string | null> {
  const r = await db.kysely.selectFrom('search_models').select('data').where('name', '=', name).executeTakeFirst();
  return r?.data ?? null;
}

export async function saveSearchModel(db: Db, name: string, data: string): Promise<void> {
  const now = new Date().toISOString();
  await db.kysely
    .insertInto('search_models')
    .values({ name, data, created_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ data, created_at: now }))
    .execute();
}

export async function deleteSearchModel(db: Db, name: string): Promise<void> {
  await db.kysely.deleteFrom('search_models').where('name', '=', name).execute();
}

/** What a search result line shows: id, arXiv id, title and date. */
export async function paperSummaries(
  db: Db,
  ids: number[],
): Promise<Map<number, { arxivId: string; title: string; publishedAt: string | null }>> {
  const out = new Map<number, { arxivId: string; title: string; publishedAt: string | null }>();
  if (ids.length === 0) return out;
  const rows = await db.kysely
    .selectFrom('papers')
    .select(['id', 'arxiv_id', 'title', 'published_at'])
    .where('id', 'in', ids)
    .execute();
  for (const r of rows) out.set(r.id, { arxivId: r.arxiv_id, title: r.title, publishedAt: r.published_at });
  return out;
}

/** Papers by id, in the index's shape. */
export async function indexDocsByIds(db: Db, ids: number[]): Promise<IndexDocRow[]> {
  const out: IndexDocRow[] = [];
  for (let i = 0; i < ids.length; i += VECTOR_ROWS_PER_STATEMENT) {
    const rows = await baseQuery(db)
      .where('papers.id', 'in', ids.slice(i, i + VECTOR_ROWS_PER_STATEMENT))
      .execute();
    out.push(...rows.map(toDoc));
  }
  return out;
}

/** How many papers carry exactly this modification time (to notice a change within the same millisecond). */
export async function countModifiedAt(db: Db, at: string): Promise<number> {
  const r = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('modified_at', '=', at)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

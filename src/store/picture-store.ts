import type { Db } from '../db/open.js';
import type { CachedPicturesTable } from '../db/schema.js';
import { storeError } from './store-errors.js';
import { withTransaction } from './transaction.js';

/**
 * Pictures fetched once from elsewhere and served from this site (migration 0050): papers' first
 * figures and organisations' avatars. A row without bytes records that there was none to take.
 */

export type PictureOwner = CachedPicturesTable['owner_kind'];

export interface PictureTodo {
  id: number;
  /** The paper's arXiv id, or the organisation's avatar URL. */
  key: string;
}

export interface PictureOutcome {
  outcome: CachedPicturesTable['outcome'];
  sourceUrl: string | null;
  contentType: string | null;
  bytes: Buffer | null;
}

export interface StoredPicture {
  contentType: string;
  bytes: Buffer;
}

/** Papers with no picture row yet, newest first (today's cards matter most). */
export async function papersWithoutPicture(db: Db, limit: number): Promise<PictureTodo[]> {
  try {
    const rows = await db.kysely
      .selectFrom('papers as p')
      .select(['p.id', 'p.arxiv_id'])
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('cached_pictures as c')
              .select('c.owner_id')
              .where('c.owner_kind', '=', 'paper')
              .whereRef('c.owner_id', '=', 'p.id'),
          ),
        ),
      )
      .orderBy('p.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, key: r.arxiv_id }));
  } catch (err) {
    throw storeError('read papers without a picture', err);
  }
}

/** Organisations with a known avatar URL and no picture row yet. */
export async function orgsWithoutPicture(db: Db, limit: number): Promise<PictureTodo[]> {
  try {
    const rows = await db.kysely
      .selectFrom('organizations as o')
      .select(['o.id', 'o.avatar_url'])
      .where('o.avatar_url', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('cached_pictures as c')
              .select('c.owner_id')
              .where('c.owner_kind', '=', 'org')
              .whereRef('c.owner_id', '=', 'o.id'),
          ),
        ),
      )
      .orderBy('o.id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, key: r.avatar_url as string }));
  } catch (err) {
    throw storeError('read organisations without a picture', err);
  }
}

/** Record what fetching a picture gave; a found paper figure also marks the paper for its cards. */
export async function savePicture(db: Db, kind: PictureOwner, ownerId: number, p: PictureOutcome, at: string) {
  try {
    await withTransaction(db, async (tdb) => {
      const row = {
        owner_kind: kind,
        owner_id: ownerId,
        source_url: p.sourceUrl,
        content_type: p.contentType,
        bytes: p.bytes,
        byte_count: p.bytes?.length ?? 0,
        outcome: p.outcome,
        fetched_at: at,
      };
      await tdb.kysely
        .insertInto('cached_pictures')
        .values(row)
        .onConflict((oc) => oc.columns(['owner_kind', 'owner_id']).doUpdateSet(row))
        .execute();
      if (kind === 'paper')
        await tdb.kysely
          .updateTable('papers')
          .set({ has_figure: p.outcome === 'found' ? 1 : 0 })
          .where('id', '=', ownerId)
          .execute();
    });
  } catch (err) {
    throw storeError('save a picture', err);
  }
}

/** A cached picture's bytes, or null when none was found (or none fetched yet). */
export async function storedPicture(db: Db, kind: PictureOwner, ownerId: number): Promise<StoredPicture | null> {
  try {
    const r = await db.kysely
      .selectFrom('cached_pictures')
      .select(['content_type', 'bytes'])
      .where('owner_kind', '=', kind)
      .where('owner_id', '=', ownerId)
      .where('outcome', '=', 'found')
      .executeTakeFirst();
    if (!r?.bytes || !r.content_type) return null;
    return { contentType: r.content_type, bytes: Buffer.from(r.bytes) };
  } catch (err) {
    throw storeError('read a picture', err);
  }
}

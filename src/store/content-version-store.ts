import { sql } from 'kysely';
import type { Db } from '../db/open.js';

/**
 * The shared content version (migration 0011): a PostgreSQL sequence, or SQLite's one-row table.
 * Its value means nothing but "changed since you last looked".
 */
/** Move the shared counter on; returns its new value (so a process can tell its own bumps from others'). */
export async function bumpStoredContentVersion(db: Db): Promise<number> {
  if (db.dialect === 'postgres') {
    const r = await sql<{ v: string | number }>`select nextval('content_version_seq') as v`.execute(db.kysely);
    return Number(r.rows[0]?.v ?? 0);
  }
  const r = await db.kysely
    .updateTable('content_version')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', 1)
    .returning('version')
    .executeTakeFirst();
  return r?.version ?? 0;
}

export async function readStoredContentVersion(db: Db): Promise<number> {
  if (db.dialect === 'postgres') {
    // last_value with is_called: a fresh sequence reports 1 before its first nextval.
    const r = await sql<{
      v: string | number;
    }>`select case when is_called then last_value else 0 end as v from content_version_seq`.execute(db.kysely);
    return Number(r.rows[0]?.v ?? 0);
  }
  const r = await db.kysely.selectFrom('content_version').select('version').where('id', '=', 1).executeTakeFirst();
  return r?.version ?? 0;
}

import type { Db } from '../db/open.js';
import type { ImportRunRow } from '../db/schema.js';

/** Import and harvest runs (CLI and jobs alike): their counts and first rejects, for the admin console and metrics. */
export async function startImportRun(db: Db, r: { source: string; via: string; now: string }): Promise<number> {
  try {
    const row = await db.kysely
      .insertInto('import_runs')
      .values({ source: r.source, via: r.via, status: 'running', started_at: r.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (err) {
    throw new Error(`store: cannot record the start of a ${r.source} import: ${(err as Error).message}`);
  }
}

export interface ImportRunEnd {
  now: string;
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** JSON text of the first rejects. */
  rejects: string | null;
  error: string | null;
}

export async function finishImportRun(db: Db, id: number, e: ImportRunEnd): Promise<void> {
  await db.kysely
    .updateTable('import_runs')
    .set({
      status: e.error ? 'failed' : 'done',
      read: e.read,
      inserted: e.inserted,
      updated: e.updated,
      unchanged: e.unchanged,
      rejected: e.rejected,
      rejects: e.rejects,
      error: e.error ? e.error.slice(0, 2000) : null,
      finished_at: e.now,
    })
    .where('id', '=', id)
    .execute();
}

/** Runs newest first. */
export async function listImportRuns(db: Db, limit: number): Promise<ImportRunRow[]> {
  return db.kysely.selectFrom('import_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

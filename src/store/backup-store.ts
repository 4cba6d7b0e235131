import { sql } from 'kysely';
import type { Db } from '../db/open.js';
import type { BackupRunRow } from '../db/schema.js';

/**
 * The record of backups taken (`paperboy backup`, the scheduled job): their files, sizes and
 * outcomes, for /readyz, the metrics and the admin console.
 */
export async function startBackupRun(db: Db, r: { trigger: string; file: string; now: string }): Promise<number> {
  try {
    const row = await db.kysely
      .insertInto('backup_runs')
      .values({ trigger: r.trigger, file: r.file, status: 'running', started_at: r.now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  } catch (err) {
    throw new Error(`store: cannot record backup to ${r.file}: ${(err as Error).message}`);
  }
}

export async function finishBackupRun(
  db: Db,
  id: number,
  f: { now: string; bytes?: number; error?: string },
): Promise<void> {
  await db.kysely
    .updateTable('backup_runs')
    .set({
      status: f.error ? 'failed' : 'done',
      bytes: f.bytes ?? null,
      error: f.error ? f.error.slice(0, 2000) : null,
      finished_at: f.now,
    })
    .where('id', '=', id)
    .execute();
}

/** The most recent successful backup, or undefined when there has been none. */
export async function lastGoodBackup(db: Db): Promise<BackupRunRow | undefined> {
  return db.kysely
    .selectFrom('backup_runs')
    .selectAll()
    .where('status', '=', 'done')
    .orderBy('finished_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Backups newest first. */
export async function listBackupRuns(db: Db, limit: number): Promise<BackupRunRow[]> {
  return db.kysely.selectFrom('backup_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/**
 * SQLite's consistent online copy: `VACUUM INTO` reads one snapshot (a read transaction, so
 * writers go on meanwhile and nothing they commit after it began is in the copy) and writes a
 * compact new database file. The file must not exist.
 */
export async function vacuumInto(db: Db, file: string): Promise<void> {
  try {
    await sql`vacuum into ${file}`.execute(db.kysely);
  } catch (err) {
    throw new Error(`store: cannot copy the database into ${file}: ${(err as Error).message}`);
  }
}

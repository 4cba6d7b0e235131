import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../app.js';
import { pendingMigrations } from '../db/migrate.js';
import { type Db, openDb } from '../db/open.js';
import { finishBackupRun, startBackupRun, vacuumInto } from '../store/backup-store.js';
import { type CopyReport, copyDatabase } from './db-copy.js';

/**
 * Backups that restore. A backup is always one SQLite file, whatever the site runs on:
 * - SQLite: `VACUUM INTO`, a consistent copy of one snapshot taken while the site runs;
 * - PostgreSQL: the same code as `db copy` (services/db-copy.ts), reading every table inside one
 *   REPEATABLE READ transaction, so the file holds exactly what was committed when it began,
 *   writes meanwhile neither wait nor appear half-written; a portable file a SQLite site can even
 *   open directly.
 * The file is written beside its final name and renamed when complete, so a crash never leaves a
 * torn backup under the real name. `restoreBackup` copies a backup into an empty database (either
 * kind) with `db copy`'s code.
 *
 * @example
 * const { file } = await takeBackup(app, '/var/backups/paperboy/2026-11-29.db', 'cli');
 * await restoreBackup(file, openDb(parseDatabaseUrl('postgres://…/new')));
 */
const BACKUP_FILE_PREFIX = 'paperboy-';
const BACKUP_FILE_SUFFIX = '.db';

/** `paperboy-20261129T023000Z.db`: sorts by time, one a second at most. */
export function backupFileName(at: Date): string {
  return `${BACKUP_FILE_PREFIX}${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}${BACKUP_FILE_SUFFIX}`;
}

async function snapshotPostgres(app: App, into: string): Promise<void> {
  const pending = await pendingMigrations(app.db);
  if (pending.length > 0)
    throw new Error(
      `backup: ${pending.length} migration(s) pending (${pending.join(', ')}). Fix: run \`paperboy migrate\`.`,
    );
  const target = openDb({ kind: 'sqlite', file: into });
  try {
    await app.db.kysely
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const snapshot: Db = { ...app.db, kysely: trx };
        await copyDatabase(snapshot, target, { sourceChecked: true });
      });
  } finally {
    await target.close();
  }
}

export async function takeBackup(
  app: App,
  file: string,
  trigger: 'cli' | 'job',
): Promise<{ file: string; bytes: number; ms: number }> {
  const final = path.resolve(file);
  if (fs.existsSync(final)) throw new Error(`backup: ${final} already exists. Fix: name a new file.`);
  fs.mkdirSync(path.dirname(final), { recursive: true });
  const partial = `${final}.partial`;
  fs.rmSync(partial, { force: true });
  const t0 = performance.now();
  const id = await startBackupRun(app.db, { trigger, file: final, now: app.clock.now().toISOString() });
  try {
    if (app.db.dialect === 'sqlite') await vacuumInto(app.db, partial);
    else await snapshotPostgres(app, partial);
    for (const extra of ['-wal', '-shm']) fs.rmSync(`${partial}${extra}`, { force: true });
    fs.renameSync(partial, final);
    const bytes = fs.statSync(final).size;
    await finishBackupRun(app.db, id, { now: app.clock.now().toISOString(), bytes });
    app.log.info({ file: final, bytes }, 'backup taken');
    return { file: final, bytes, ms: performance.now() - t0 };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    await finishBackupRun(app.db, id, { now: app.clock.now().toISOString(), error: (err as Error).message }).catch(
      () => undefined,
    );
    throw err;
  }
}

/** Copy a backup file into an empty database (refused when it holds rows: see copyDatabase). */
export async function restoreBackup(file: string, target: Db): Promise<CopyReport> {
  if (!fs.existsSync(file)) throw new Error(`restore: no such backup file ${file}`);
  const source = openDb({ kind: 'sqlite', file });
  try {
    return await copyDatabase(source, target);
  } finally {
    await source.close();
  }
}

/** Delete the oldest backups in `dir` beyond the newest `keep` (only files this code named). */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!fs.existsSync(dir)) return [];
  const ours = fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(BACKUP_FILE_PREFIX) && f.endsWith(BACKUP_FILE_SUFFIX))
    .sort();
  const gone = ours.slice(0, Math.max(0, ours.length - keep));
  for (const f of gone) fs.rmSync(path.join(dir, f), { force: true });
  return gone;
}

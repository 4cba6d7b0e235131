import { sql } from 'kysely';
import type { App } from '../app.js';
import { pendingMigrations } from '../db/migrate.js';
import { WORKER_HEARTBEAT_INTERVAL_MS } from '../jobs/queue.js';
import { lastGoodBackup } from '../store/backup-store.js';
import { listHeartbeats } from '../store/heartbeat-store.js';

/**
 * Is this process ready to serve, and if not, what is wrong? `/readyz` answers with this (503 when
 * not ready); `/healthz` never comes here (it must answer even when the database hangs).
 *
 * Checks: the database answers; no migration is pending; the search index is loaded (or loading,
 * which is not ready yet); a job worker has beaten within WORKER_STALE_MS; the SMTP server answers
 * when mail is configured; the age of the last good backup. `fail` makes the process not ready,
 * `warn` is reported only (an old backup does not stop the site serving).
 *
 * @example
 * const r = await checkReadiness(app);
 * // { ready: false, problems: ['worker: no job worker has reported …'], checks: { database: { status: 'ok', … }, … } }
 */
export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  status: CheckStatus;
  detail: string;
  [extra: string]: unknown;
}

export interface Readiness {
  ready: boolean;
  /** The detail of every check that is not ok, prefixed with its name. */
  problems: string[];
  checks: Record<string, Check>;
}

/** A database that takes longer than this to answer `select 1` is as good as down. */
const READY_DB_TIMEOUT_MS = 2_000;
/** A worker silent for three heartbeats is taken as stopped (one late beat is not an outage). */
export const WORKER_STALE_MS = 3 * WORKER_HEARTBEAT_INTERVAL_MS;
/** Asking the SMTP server costs a connection: its answer is reused this long. */
const MAIL_CHECK_CACHE_MS = 60_000;
/** Migrations change only when someone runs `paperboy migrate`: their state is reused this long. */
const MIGRATION_CHECK_CACHE_MS = 5_000;
/** With BACKUP_DIR set, a last good backup older than this is reported (warn). */
const BACKUP_STALE_SECONDS = 2 * 24 * 3600;
/** An SMTP server slower than this to greet is reported as unreachable. */
const MAIL_CHECK_TIMEOUT_MS = 5_000;

/** What readiness checks remember between calls, per process (App.health). */
export class HealthState {
  mail: { at: number; check: Check } | null = null;
  migrations: { at: number; pending: string[] } | null = null;
}

async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function fail(detail: string, extra: Record<string, unknown> = {}): Check {
  return { status: 'fail', detail, ...extra };
}

async function databaseCheck(app: App): Promise<Check> {
  const t0 = performance.now();
  try {
    await within(READY_DB_TIMEOUT_MS, 'the database', sql`select 1`.execute(app.db.kysely));
    return { status: 'ok', detail: `${app.db.dialect} answers`, ms: Math.round(performance.now() - t0) };
  } catch (err) {
    return fail(`${app.db.dialect} is unreachable: ${(err as Error).message}`);
  }
}

async function migrationsCheck(app: App, nowMs: number): Promise<Check> {
  const cached = app.health.migrations;
  let pending: string[];
  if (cached && nowMs - cached.at < MIGRATION_CHECK_CACHE_MS) pending = cached.pending;
  else {
    pending = await within(READY_DB_TIMEOUT_MS, 'the migration table', pendingMigrations(app.db));
    app.health.migrations = { at: nowMs, pending };
  }
  if (pending.length === 0) return { status: 'ok', detail: 'schema is current' };
  return fail(`${pending.length} migration(s) pending (${pending.join(', ')}). Fix: run \`paperboy migrate\`.`, {
    pending,
  });
}

function searchCheck(app: App, now: Date): Check {
  const s = app.search;
  if (s.loadedAt) {
    const ageSeconds = Math.round((now.getTime() - s.loadedAt.getTime()) / 1000);
    return { status: 'ok', detail: `loaded ${ageSeconds} s ago`, loaded: true, ageSeconds };
  }
  if (s.engine) return fail('the search index is still being built', { loaded: false });
  if (s.lastError) return fail(`the search index could not be built: ${s.lastError}`, { loaded: false });
  // Built on the first search (or by `serve`'s warm-up): a process that has not searched yet is fine.
  return { status: 'ok', detail: 'not loaded yet: built on the first search', loaded: false };
}

async function workerCheck(app: App, now: Date): Promise<Check> {
  const beats = await within(READY_DB_TIMEOUT_MS, 'the heartbeat table', listHeartbeats(app.db));
  const live = beats.filter((b) => now.getTime() - Date.parse(b.beatAt) <= WORKER_STALE_MS);
  const last = beats[0] ? Math.round((now.getTime() - Date.parse(beats[0].beatAt)) / 1000) : null;
  if (live.length > 0)
    return { status: 'ok', detail: `${live.length} worker(s) running`, workers: live.length, lastBeatSeconds: last };
  return fail(
    last === null
      ? 'no job worker is running: jobs (imports, digests, backups) wait. Fix: run `paperboy worker`, or `paperboy serve --with-worker`.'
      : `no job worker has reported for ${last} s (more than ${WORKER_STALE_MS / 1000} s): jobs wait. Fix: (re)start \`paperboy worker\`.`,
    { workers: 0, lastBeatSeconds: last },
  );
}

async function mailCheck(app: App, nowMs: number): Promise<Check> {
  const mailer = app.mailer;
  if (!mailer) return { status: 'ok', detail: 'mail is off (SMTP_URL is unset)' };
  if (!mailer.verify) return { status: 'ok', detail: 'mail transport cannot be probed' };
  const cached = app.health.mail;
  if (cached && nowMs - cached.at < MAIL_CHECK_CACHE_MS) return cached.check;
  let check: Check;
  try {
    await within(MAIL_CHECK_TIMEOUT_MS, 'the SMTP server', mailer.verify());
    check = { status: 'ok', detail: 'the SMTP server answers' };
  } catch (err) {
    check = fail(`the SMTP server is unreachable: ${(err as Error).message}`);
  }
  app.health.mail = { at: nowMs, check };
  return check;
}

async function backupCheck(app: App, now: Date): Promise<Check> {
  const last = await within(READY_DB_TIMEOUT_MS, 'the backup table', lastGoodBackup(app.db));
  const scheduled = app.config.backupDir !== null;
  if (!last?.finished_at)
    return scheduled
      ? { status: 'warn', detail: 'BACKUP_DIR is set but no backup has succeeded yet', ageSeconds: null }
      : { status: 'ok', detail: 'no backup taken yet (set BACKUP_DIR for daily backups)', ageSeconds: null };
  const ageSeconds = Math.round((now.getTime() - Date.parse(last.finished_at)) / 1000);
  // Daily backups: two missed days is worth a look, not a reason to stop serving.
  const stale = scheduled && ageSeconds > BACKUP_STALE_SECONDS;
  return {
    status: stale ? 'warn' : 'ok',
    detail: `last good backup ${ageSeconds} s ago${stale ? ' (the daily backup has not succeeded for two days)' : ''}`,
    ageSeconds,
    file: last.file,
  };
}

async function guarded(name: string, run: () => Promise<Check>): Promise<Check> {
  try {
    return await run();
  } catch (err) {
    return fail(`${name} could not be checked: ${(err as Error).message}`);
  }
}

export async function checkReadiness(app: App): Promise<Readiness> {
  const now = app.clock.now();
  const nowMs = now.getTime();
  const checks: Record<string, Check> = {};
  checks.database = await databaseCheck(app);
  const dbUp = checks.database.status === 'ok';
  const skipped = fail('not checked: the database is unreachable');
  const [migrations, worker, mail, backup] = await Promise.all([
    dbUp ? guarded('migrations', () => migrationsCheck(app, nowMs)) : skipped,
    dbUp ? guarded('worker', () => workerCheck(app, now)) : skipped,
    guarded('mail', () => mailCheck(app, nowMs)),
    dbUp ? guarded('backup', () => backupCheck(app, now)) : skipped,
  ]);
  Object.assign(checks, { migrations, search: searchCheck(app, now), worker, mail, backup });
  const problems = Object.entries(checks)
    .filter(([, c]) => c.status !== 'ok')
    .map(([name, c]) => `${name}: ${c.detail}`);
  return { ready: Object.values(checks).every((c) => c.status !== 'fail'), problems, checks };
}

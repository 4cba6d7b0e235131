import type { App } from '../app.js';
import type { AuditRow, ImportRunRow } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { type Actor, isAdmin, type UserActor } from '../model/actor.js';
import {
  cancelJob,
  listFailedOutbox,
  listSuppressed,
  listUsersForAdmin,
  requeueOutboxRow,
} from '../store/admin-store.js';
import { insertAudit, listAudit } from '../store/audit-store.js';
import { listBackupRuns } from '../store/backup-store.js';
import { listHeartbeats } from '../store/heartbeat-store.js';
import { listImportRuns } from '../store/import-run-store.js';
import { getJob, retryJob } from '../store/job-store.js';
import { rebuildSearchIndex } from './search.js';

/**
 * The admin console's rules: every function takes the acting admin (refused otherwise, whatever
 * the route table said), and every action that changes something writes an audit entry with who,
 * from where and the request id of its log line.
 *
 * @example
 * await adminRetryJob(app, actor, 42, { ip: '203.0.113.9', requestId: 'req-1a2b' });
 */
export interface Origin {
  ip: string | null;
  requestId: string | null;
}

/** Rows shown per admin list. */
const ADMIN_LIST_LIMIT = 100;

function requireAdmin(actor: Actor): UserActor {
  if (actor.kind !== 'user' || !isAdmin(actor)) throw new AppError('forbidden', 'Admins only.');
  return actor;
}

export async function audit(
  app: App,
  actor: Actor,
  action: string,
  target: string,
  detail: unknown,
  origin: Origin,
): Promise<void> {
  const me = requireAdmin(actor);
  await insertAudit(app.db, {
    actorId: me.id,
    actorName: me.username,
    action,
    target,
    detail,
    ip: origin.ip,
    requestId: origin.requestId,
    at: app.clock.now().toISOString(),
  });
}

export async function adminRetryJob(app: App, actor: Actor, id: number, origin: Origin): Promise<void> {
  requireAdmin(actor);
  const job = await getJob(app.db, id);
  if (!job) throw new AppError('not_found', `No job ${id}.`);
  if (!(await retryJob(app.db, id, app.clock.now().toISOString())))
    throw new AppError('conflict', `Job ${id} is ${job.state}: only dead, failed or done jobs can be retried.`);
  await audit(app, actor, 'job.retry', `job:${id}`, { type: job.type, was: job.state }, origin);
}

export async function adminCancelJob(app: App, actor: Actor, id: number, origin: Origin): Promise<void> {
  const me = requireAdmin(actor);
  const job = await getJob(app.db, id);
  if (!job) throw new AppError('not_found', `No job ${id}.`);
  const now = app.clock.now().toISOString();
  if (!(await cancelJob(app.db, id, `cancelled by ${me.username} at ${now}`, now)))
    throw new AppError(
      'conflict',
      `Job ${id} is ${job.state}: only queued jobs or failed ones waiting to retry can be cancelled.`,
    );
  await audit(app, actor, 'job.cancel', `job:${id}`, { type: job.type, was: job.state }, origin);
}

export async function adminResendMail(app: App, actor: Actor, id: number, origin: Origin): Promise<void> {
  requireAdmin(actor);
  if (!(await requeueOutboxRow(app.db, id, app.clock.now().toISOString())))
    throw new AppError('conflict', `Digest mail ${id} is not a failed one (sent meanwhile, or unknown).`);
  await audit(app, actor, 'mail.resend', `outbox:${id}`, null, origin);
}

/**
 * Rebuild the search index in the background (minutes on a large site): the audit entry says who
 * started it; the console shows the index's age when it is done.
 */
export async function adminRebuildSearch(app: App, actor: Actor, origin: Origin): Promise<void> {
  requireAdmin(actor);
  await audit(app, actor, 'search.rebuild', 'search-index', null, origin);
  void rebuildSearchIndex(app).catch((err) => app.log.error({ err }, 'admin: search rebuild failed'));
}

export async function mailOverview(app: App, actor: Actor) {
  requireAdmin(actor);
  const [failed, suppressed] = await Promise.all([
    listFailedOutbox(app.db, ADMIN_LIST_LIMIT),
    listSuppressed(app.db, ADMIN_LIST_LIMIT),
  ]);
  return { failed, suppressed, mailOn: app.mailer !== null };
}

export async function importOverview(app: App, actor: Actor): Promise<ImportRunRow[]> {
  requireAdmin(actor);
  return listImportRuns(app.db, ADMIN_LIST_LIMIT);
}

export async function usersOverview(app: App, actor: Actor, q: string) {
  requireAdmin(actor);
  return listUsersForAdmin(app.db, q, ADMIN_LIST_LIMIT);
}

export async function auditLog(app: App, actor: Actor): Promise<AuditRow[]> {
  requireAdmin(actor);
  return listAudit(app.db, ADMIN_LIST_LIMIT * 2);
}

export async function opsOverview(app: App, actor: Actor) {
  requireAdmin(actor);
  const [workers, backups] = await Promise.all([listHeartbeats(app.db), listBackupRuns(app.db, 10)]);
  return { workers, backups };
}

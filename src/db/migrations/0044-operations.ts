import type { Kysely } from 'kysely';
import { type Dialect, idColumn } from '../dialect.js';

// Why: operating a site (issue #16) needs four records the database did not keep.
// - worker_heartbeats: every job worker writes its row every few seconds, so /readyz (in any web
//   process, on any machine) can tell that background work is running; a stopped worker deletes
//   its row, a killed one stops beating and goes stale.
// - audit_log: every action taken in the admin console (retry a job, resend a mail, change a role,
//   rebuild the search index …), who took it, from where, with the request id of the log line.
// - backup_runs: each `paperboy backup` and scheduled backup, so /readyz and the metrics show the
//   age of the last good one and the admin sees failures.
// - import_runs: each import and harvest run with its counts and the first rejects with their
//   reasons, for the admin console and the metrics (CLI imports too, not only jobs).
// Dates are ISO text, as everywhere.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const id = idColumn(dialect);
  await db.schema
    .createTable('worker_heartbeats')
    .addColumn('worker_id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('beat_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    // Kept as written: the log still says who acted after the account is renamed or deleted.
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_created_at').on('audit_log').column('created_at').execute();

  await db.schema
    .createTable('backup_runs')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer')
    .addColumn('error', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('backup_runs_status_finished')
    .on('backup_runs')
    .columns(['status', 'finished_at'])
    .execute();

  await db.schema
    .createTable('import_runs')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('inserted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejects', 'text')
    .addColumn('error', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('import_runs_started_at').on('import_runs').column('started_at').execute();
}

import type { Kysely } from 'kysely';
import { type Dialect, idColumn } from '../dialect.js';

// Why: one durable job queue for both databases (issue #7). Imports, harvests, index updates and
// digests run as jobs that survive restarts, retry with backoff and end in a dead-letter state
// when they keep failing. A worker holds a job under a lease (locked_until); a worker killed
// mid-job lets its lease expire and the job is queued again. dedupe_key makes enqueueing
// idempotent (a recurring slot is enqueued once across all workers). Dates are ISO text.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // Claiming scans queued jobs by due time; lease recovery scans running jobs by lease end.
  await db.schema.createIndex('jobs_state_run_at').on('jobs').columns(['state', 'run_at']).execute();
  await db.schema.createIndex('jobs_state_locked_until').on('jobs').columns(['state', 'locked_until']).execute();
}

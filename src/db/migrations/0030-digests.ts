import type { Kysely } from 'kysely';
import { type Dialect, idColumn } from '../dialect.js';

// Why: email digests. `subscribers` holds email-only subscriptions (double opt-in) and their
// preferences; `digest_outbox` is the durable outbox — one row per (subscriber, period key), the
// unique constraint is what makes "exactly one digest per period" hold across re-runs, restarts and
// parallel senders; `digest_runs` makes every send run visible (`paperboy digest status`).
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('subscribers')
    .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    // pending (awaiting confirmation) | active | unsubscribed | suppressed (permanent bounce)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('send_hour', 'integer', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('paper_count', 'integer', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('keywords', 'text', (c) => c.notNull())
    .addColumn('organizations', 'text', (c) => c.notNull())
    .addColumn('min_upvotes', 'integer', (c) => c.notNull())
    // A site account that manages this subscription (no FK: accounts live in another migration range).
    .addColumn('user_id', 'integer')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('confirmation_sent_at', 'text')
    .addColumn('confirmed_at', 'text')
    .addColumn('unsubscribed_at', 'text')
    .addColumn('suppressed_at', 'text')
    .addColumn('suppressed_reason', 'text')
    .execute();
  await db.schema
    .createIndex('subscribers_status_frequency')
    .on('subscribers')
    .columns(['status', 'frequency'])
    .execute();
  await db.schema.createIndex('subscribers_user').on('subscribers').columns(['user_id']).execute();

  await db.schema
    .createTable('digest_runs')
    .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
    .addColumn('period', 'text', (c) => c.notNull())
    /** JSON array of the period keys this run enqueued. */
    .addColumn('period_keys', 'text', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    // running | finished | failed (a run whose heartbeat stopped was killed: status shows it as stale)
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('enqueued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('empty', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deferred', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();

  await db.schema
    .createTable('digest_outbox')
    .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
    .addColumn('subscriber_id', 'integer', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    /** daily:YYYY-MM-DD or weekly:YYYY-Www */
    .addColumn('period_key', 'text', (c) => c.notNull())
    /** The address at enqueue time: a later change of address does not redirect a pending digest. */
    .addColumn('email', 'text', (c) => c.notNull())
    /** JSON array of paper ids, fixed at enqueue so every retry sends the same digest. */
    .addColumn('paper_ids', 'text', (c) => c.notNull())
    /** Stable per row: receivers that de-duplicate by Message-ID collapse a resend after a crash. */
    .addColumn('message_id', 'text', (c) => c.notNull())
    // pending | sending (leased) | sent | empty (nothing matched: nothing sent) | failed | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('run_id', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('smtp_response', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addUniqueConstraint('digest_outbox_subscriber_period', ['subscriber_id', 'period_key'])
    .execute();
  await db.schema
    .createIndex('digest_outbox_claim')
    .on('digest_outbox')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema.createIndex('digest_outbox_period').on('digest_outbox').columns(['period_key', 'status']).execute();
}

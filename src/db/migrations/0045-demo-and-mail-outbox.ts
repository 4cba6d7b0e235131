import type { Kysely } from 'kysely';
import { type Dialect, idColumn } from '../dialect.js';

// Why (issue #13): the first start is a Daily Papers site, and mail off is visible.
// - `users.demo`, `organizations.demo`: the demo community paperboy generates on first start
//   (services/demo.ts) is marked, so the site can label it and `paperboy demo remove` can take it
//   out — users, their votes, comments and featured entries, the invented organisations — and
//   nothing else. Demo entries on Daily Papers carry daily_entries.source = 'demo'.
// - `mail_outbox`: with no SMTP_URL, the mail a person is waiting for (sign-up confirmation,
//   password reset, subscription confirmation) is kept here for an admin to read at /admin/outbox,
//   instead of vanishing. Digests are not written here: mail off skips them, as before.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('organizations')
    .addColumn('demo', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_outbox_created').on('mail_outbox').column('created_at').execute();
}

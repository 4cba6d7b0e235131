import type { Kysely } from 'kysely';
import { type Dialect, idColumn } from '../dialect.js';

// Why: "For you" recommendations (issue #17) learn from what each reader says beyond votes, saves
// and claims (which have their tables already):
// - reader_signals: follows (an author, an organisation, a category, a saved search), "not
//   interested" (a paper, an author, a topic) and explicit seed papers ("more like this"); one row
//   per (reader, kind, value), so every signal is listed and removed the same way in settings.
//   `value` is the paper's id as text, an author's normalised name, an organisation's name, a
//   category or the search's text; `label` is what the reader saw (an author's name as written).
// - feed_tokens: the private RSS/Atom feed's address carries a token; only its SHA-256 is kept,
//   and revoking it kills the address.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const id = idColumn(dialect);
  await db.schema
    .createTable('reader_signals')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('reader_signals_pk', ['user_id', 'kind', 'value'])
    .execute();

  await db.schema
    .createTable('feed_tokens')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('feed_tokens_user').on('feed_tokens').column('user_id').execute();
}

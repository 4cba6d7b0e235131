import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// Why: rendered pages are cached in each web process, keyed by a content version that every
// write bumps. Kept in the database, every process (several web processes, workers, a CLI
// import) sees every other's writes within a poll interval instead of when its cache expires.
// PostgreSQL counts with a sequence: nextval never blocks, whereas one counter row would
// serialise every vote of every process on its row lock. SQLite has one writer anyway.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create sequence content_version_seq`.execute(db);
    return;
  }
  await db.schema
    .createTable('content_version')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.insertInto('content_version').values({ id: 1, version: 0 }).execute();
}

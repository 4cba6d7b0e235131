import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/config/config.js';
import type { Dialect } from '../../src/db/dialect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { type Db, openDb } from '../../src/db/open.js';

/**
 * Every store and service test runs on both databases (house rule 3). PostgreSQL comes from
 * PAPERBOY_TEST_PG_URL (default: the local trust-auth server's `test` database); each test database
 * is its own schema, dropped afterwards. PAPERBOY_TEST_DATABASES=sqlite narrows a local run.
 */
export const TEST_PG_URL = process.env.PAPERBOY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_DIALECTS: Dialect[] = (process.env.PAPERBOY_TEST_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Dialect => s === 'sqlite' || s === 'postgres');

export interface TestDb extends Db {
  /** What DATABASE_URL would be for a child process using this database. */
  target: DatabaseTarget;
  /** For PostgreSQL: the schema; child processes need PGOPTIONS=-c search_path=<schema>. */
  schema?: string;
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function createTestDb(dialect: Dialect, opts: { migrate?: boolean } = {}): Promise<TestDb> {
  const migrate = opts.migrate ?? true;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-test-'));
    const target: DatabaseTarget = { kind: 'sqlite', file: path.join(dir, 'test.db') };
    const db = openDb(target);
    if (migrate) await migrateToLatest(db);
    return {
      ...db,
      target,
      env: { DATABASE_URL: target.file },
      async drop() {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const target: DatabaseTarget = { kind: 'postgres', url: TEST_PG_URL };
  const db = openDb(target, { schema });
  if (migrate) await migrateToLatest(db);
  return {
    ...db,
    target,
    schema,
    env: { DATABASE_URL: TEST_PG_URL, PGOPTIONS: `-c search_path=${schema}` },
    async drop() {
      await db.close();
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDb, TEST_DIALECTS, TEST_PG_URL } from '../helpers/db.js';

/** Schemas that appear and vanish beside a migration, as parallel tests and other sites do. */
const CHURN_SCHEMAS = 40;
const MIGRATIONS_AT_ONCE = 4;

describe.runIf(TEST_DIALECTS.includes('postgres'))('PostgreSQL migrations beside other schemas', () => {
  it('migrate while other schemas are created and dropped, seeing only their own tables', async () => {
    const client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    let churning = true;
    const churn = (async () => {
      for (let i = 0; churning && i < CHURN_SCHEMAS; i++) {
        const s = `churn_${process.pid}_${i}`;
        await client.query(`create schema ${s}`);
        await client.query(`create table ${s}.saved_papers (user_id serial, paper_id integer)`);
        await client.query(`drop schema ${s} cascade`);
      }
    })();
    try {
      const dbs = await Promise.all(Array.from({ length: MIGRATIONS_AT_ONCE }, () => createTestDb('postgres')));
      churning = false;
      for (const db of dbs) {
        const tables = await db.kysely.introspection.getTables({ withInternalKyselyTables: true });
        expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([db.schema]));
        expect(tables.some((t) => t.name === 'papers' && t.columns.some((c) => c.isAutoIncrementing))).toBe(true);
        await db.drop();
      }
    } finally {
      churning = false;
      await churn;
      await client.end();
    }
  });
});

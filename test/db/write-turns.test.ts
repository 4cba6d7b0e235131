import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserActor } from '../../src/model/actor.js';
import { addVote } from '../../src/store/vote-store.js';
import { testApp } from '../helpers/app.js';
import { spawnCli } from '../helpers/cli.js';
import { makePapers, makeUser } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

/**
 * Issue #15: a web process's write waits for the database while `paperboy import` (another process)
 * commits a stream of short write transactions. On SQLite the import holds the single write lock
 * ~30 ms at a time; the write must get a turn within a bound and never fail busy (a 503 on the
 * site), which needs the import to give way (db/writer-turns.ts) and the waiting votes to queue
 * (sqlite-driver.ts). PostgreSQL's row locks queue fairly; it is held to a bound for its CPU share.
 */
const IMPORT_RECORDS = 30_000;
const VOTERS = 5;
const PAPERS = 40;
/** Votes in flight at once, as on a busy site: each refused one polls for the lock. */
const CONCURRENT = 20;
/**
 * Bounds on a vote's wait. On SQLite an import transaction aims at 30 ms; on a machine shared
 * with other test files it runs longer, so they are generous. Measured at load 7–12 on two cores:
 * p90 22–57 ms, max 88–255 ms alone, p90 93 ms beside seven other test files; before the import
 * gave way and waiting votes queued, p90 147–155 ms, max 489–506 alone; they failed after
 * SQLITE_BUSY_WAIT_MS (2 s) under bench:mixed. PostgreSQL takes no lock a vote waits for, but shares the two cores with the
 * import and its server: p90 185–442 ms at load 7–12, from CPU alone.
 */
const WRITE_TURN_P90_MS = { sqlite: 250, postgres: 1500 };
const WRITE_TURN_MAX_MS = { sqlite: 1500, postgres: 5000 };
const TEST_TIMEOUT_MS = 180_000;

function kaggleFile(dir: string): string {
  const file = path.join(dir, 'kaggle.jsonl');
  const abstract = 'We study a synthetic problem with a long abstract. '.repeat(20);
  const lines: string[] = [];
  for (let i = 0; i < IMPORT_RECORDS; i++) {
    lines.push(
      JSON.stringify({
        id: `2601.${String(10000 + i).padStart(5, '0')}`,
        title: `Synthetic paper number ${i}`,
        authors: `Ada Lovelace, Alan Turing, Author ${i}`,
        abstract,
        categories: 'cs.LG',
        versions: [{ version: 'v1', created: 'Mon, 5 Jan 2026 10:00:00 GMT' }],
        update_date: '2026-01-05',
      }),
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe.each(TEST_DIALECTS)('a web write beside an import in another process on %s', (dialect) => {
  let db: TestDb;
  let dir: string;
  afterEach(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'gets its turn within the bound, and none fails busy',
    async () => {
      db = await createTestDb(dialect);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-turns-'));
      const app = testApp(db);
      const voters: UserActor[] = [];
      for (let i = 0; i < VOTERS; i++) voters.push((await makeUser(app, `voter${i}`)) as UserActor);
      const paperIds = await makePapers(
        db,
        Array.from({ length: PAPERS }, (_, i) => `2512.${String(20000 + i)}`),
      );
      const pairs = voters.flatMap((u) => paperIds.map((paperId) => ({ userId: u.id, paperId })));
      const papers = async () =>
        Number((await sql<{ n: number }>`select count(*) as n from papers`.execute(db.kysely)).rows[0].n);
      const child = spawnCli(['import', 'kaggle', kaggleFile(dir), '--json', '--quiet'], db.env);
      try {
        // Votes start once the import writes.
        while ((await papers()) <= PAPERS) {
          expect(child.exitCode, child.err()).toBeNull();
          await new Promise((r) => setTimeout(r, 10));
        }
        const waits: number[] = [];
        const failures: string[] = [];
        const next = pairs.values();
        const voter = async () => {
          for (const p of next) {
            const t0 = performance.now();
            try {
              await addVote(db, { ...p, byAuthor: false, at: new Date().toISOString() });
            } catch (err) {
              failures.push((err as Error).message);
            }
            waits.push(performance.now() - t0);
          }
        };
        await Promise.all(Array.from({ length: CONCURRENT }, voter));
        // The import was writing all along, or the votes proved nothing.
        expect(child.exitCode, 'the import finished before the votes did: make it longer').toBeNull();
        expect(failures).toEqual([]);
        const votes = await sql<{ n: number }>`select count(*) as n from votes`.execute(db.kysely);
        expect(Number(votes.rows[0].n)).toBe(pairs.length);
        waits.sort((a, b) => a - b);
        const at = (q: number) => waits[Math.floor(q * (waits.length - 1))].toFixed(0);
        console.log(`${dialect}: ${waits.length} votes, wait p50 ${at(0.5)} p90 ${at(0.9)} max ${at(1)} ms`);
        expect(waits[Math.floor(0.9 * (waits.length - 1))]).toBeLessThan(WRITE_TURN_P90_MS[dialect]);
        expect(waits[waits.length - 1]).toBeLessThan(WRITE_TURN_MAX_MS[dialect]);
      } finally {
        child.kill('SIGKILL');
        await child.done;
      }
    },
    TEST_TIMEOUT_MS,
  );
});

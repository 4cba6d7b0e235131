import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArxivId } from '../../src/model/arxiv-id.js';
import { spawnCli } from '../helpers/cli.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { demoListingDays } from '../helpers/listing-days.js';

// Crash safety (issue #2): SIGKILL an import after it has committed some batches, re-run it, and
// the database holds exactly the papers and listing entries of the input, each once.
const FILES = demoListingDays(5);
/** Small batches make many commits, so the kill lands between two of them. */
const CRASH_BATCH_SIZE = 5;
const POLL_MS = 2;

function expected() {
  const ids = new Set<string>();
  const entries = new Set<string>();
  let lines = 0;
  for (const f of FILES) {
    const day = path.basename(f, '.jsonl');
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      lines++;
      const id = parseArxivId(JSON.parse(line).id)!.id;
      ids.add(id);
      entries.add(`${id} ${day}`);
    }
  }
  return { lines, papers: ids.size, entries: entries.size };
}

async function counts(db: TestDb) {
  const q = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(db.kysely)).rows[0].n);
  return {
    papers: await q(sql`select count(*) as n from papers`),
    distinctIds: await q(sql`select count(distinct arxiv_id) as n from papers`),
    entries: await q(sql`select count(*) as n from listing_entries`),
    firstAppearances: await q(sql`select count(*) as n from listing_entries where first_appearance = 1`),
    orphanEntries: await q(
      sql`select count(*) as n from listing_entries le where not exists (select 1 from papers p where p.id = le.paper_id)`,
    ),
  };
}

const CRASH_TEST_TIMEOUT_MS = 240_000;

describe.each(TEST_DIALECTS)('import killed with SIGKILL on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  // Two CLI starts plus the import; generous because CI shares two cores with other test files.
  it(
    're-runs to the exact counts with no duplicates',
    async () => {
      const want = expected();
      const args = [
        'import',
        'arxiv-listings',
        ...FILES,
        '--json',
        '--quiet',
        '--batch-size',
        String(CRASH_BATCH_SIZE),
      ];
      const child = spawnCli(args, db.env);
      // Kill as soon as some batches are committed.
      let seen = 0;
      while (child.exitCode === null && seen === 0) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        seen = (await counts(db)).papers;
      }
      expect(child.exitCode, `import finished before it could be killed: ${child.err()}`).toBeNull();
      child.kill('SIGKILL');
      await child.done;
      expect(child.signalCode).toBe('SIGKILL');

      const afterKill = await counts(db);
      expect(afterKill.papers).toBeGreaterThan(0);
      expect(afterKill.papers).toBeLessThan(want.papers);
      // A batch commits papers and their listing entries together: none without the other.
      expect(afterKill.orphanEntries).toBe(0);

      // The re-run uses the default batch size: how the rest is batched does not change the result.
      const rerun = spawnCli(args.slice(0, -2), db.env);
      expect(await rerun.done, rerun.err()).toBe(0);
      const summary = JSON.parse(rerun.out());
      expect(summary.read).toBe(want.lines);
      expect(summary.rejected).toBe(0);
      expect(summary.inserted).toBe(want.papers - afterKill.papers);

      const end = await counts(db);
      expect(end.papers).toBe(want.papers);
      expect(end.distinctIds).toBe(end.papers);
      expect(end.entries).toBe(want.entries);
      expect(end.firstAppearances).toBe(want.papers);
      expect(end.orphanEntries).toBe(0);
    },
    CRASH_TEST_TIMEOUT_MS,
  );
});

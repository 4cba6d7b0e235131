import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { restoreBackup, takeBackup } from '../../src/services/backup.js';
import { testApp } from '../helpers/app.js';
import { buildCliForTests, removeCliBuild } from '../helpers/cli-build.js';
import { makePapers } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import {
  childEnv,
  type ServeChild,
  startServe,
  stopServe,
  type VoteTry,
  voteBurst,
  votingSetup,
} from '../helpers/serve-child.js';
import { tableDigests } from '../helpers/table-digest.js';

/**
 * Issue #16's backup acceptance with the site really running: `paperboy serve` in its own process
 * takes a burst of votes over HTTP while this process runs `takeBackup` (SQLite: VACUUM INTO beside
 * the live writer; PostgreSQL: one REPEATABLE READ read of every table). The backup must be one
 * moment of the site:
 *  - every vote acknowledged before the backup began is in it;
 *  - no vote asked for after the backup ended is in it;
 *  - it is closed under "happened before": if it holds a vote, it holds every vote acknowledged
 *    before that vote was even asked for (a torn copy, read table by table or page by page over
 *    time, breaks this);
 *  - nothing is half-written: each paper's counter equals the votes the backup holds;
 *  - every table the burst does not write restores with the same row digest as before the burst.
 */
const VOTERS = 20;
const PAPERS = 150;
/** Bulk the backup has to copy, so it takes long enough for votes to land during it. */
const FILLER_PAPERS = 3000;
const ACKED_BEFORE_BACKUP = 200;

let cli: string;
beforeAll(() => {
  cli = buildCliForTests();
});
afterAll(() => removeCliBuild(cli));

describe.each(TEST_DIALECTS)('a backup while the site takes votes, on %s', (dialect) => {
  let db: TestDb;
  let restored: TestDb | undefined;
  let serve: ServeChild | undefined;
  let dir: string;
  afterEach(async () => {
    await stopServe(serve);
    await db?.drop();
    await restored?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds one moment: all acknowledged before, nothing after, nothing torn', { timeout: 180_000 }, async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-backup-live-'));
    db = await createTestDb(dialect);
    await makePapers(
      db,
      Array.from({ length: FILLER_PAPERS }, (_, i) => `2608.${String(10000 + i)}`),
    );
    const { tokens, arxivIds, paperIds, userIds } = await votingSetup(db, VOTERS, PAPERS);
    serve = await startServe(cli, childEnv(db), ['--web-only']);
    const before = await tableDigests(db);

    const app = testApp(db);
    const file = path.join(dir, 'live.db');
    let acked = 0;
    let began = 0;
    let ended = 0;
    let backingUp: Promise<unknown> | null = null;
    const tries = await voteBurst(
      serve.base,
      tokens,
      arxivIds,
      (t: VoteTry) => {
        if (t.outcome === 'acked') acked++;
        if (acked >= ACKED_BEFORE_BACKUP && !backingUp) {
          began = performance.now();
          backingUp = takeBackup(app, file, 'cli').then(() => {
            ended = performance.now();
          });
        }
      },
      // Keep voting a while after the backup, so there are writes it must not hold.
      () => ended > 0 && performance.now() > ended + 200,
    );
    await backingUp;
    expect(ended, 'the backup finished during the burst').toBeGreaterThan(0);
    expect(tries.filter((t) => t.outcome !== 'acked')).toEqual([]);
    const after = await tableDigests(db);

    restored = await createTestDb(dialect, { migrate: false });
    await restoreBackup(file, restored);
    const key = (t: VoteTry) => `${userIds[t.voter]}:${paperIds[t.paper]}`;
    const votes = await restored.kysely.selectFrom('votes').select(['user_id', 'paper_id']).execute();
    const inBackup = new Set(votes.map((v) => `${v.user_id}:${v.paper_id}`));

    const ackedBefore = tries.filter((t) => t.end < began);
    const askedAfter = tries.filter((t) => t.start > ended);
    const during = tries.filter((t) => t.end >= began && t.start <= ended);
    for (const t of ackedBefore) expect(inBackup.has(key(t)), `acknowledged before: ${key(t)}`).toBe(true);
    for (const t of askedAfter) expect(inBackup.has(key(t)), `asked after: ${key(t)}`).toBe(false);
    expect(ackedBefore.length).toBeGreaterThanOrEqual(ACKED_BEFORE_BACKUP);
    expect(askedAfter.length).toBeGreaterThan(0);
    // Happened-before closure: the latest request start among the backup's votes bounds what it must hold.
    const latestStartIn = Math.max(...tries.filter((t) => inBackup.has(key(t))).map((t) => t.start));
    const mustHold = tries.filter((t) => t.end < latestStartIn);
    for (const t of mustHold) expect(inBackup.has(key(t)), `acknowledged before a held vote: ${key(t)}`).toBe(true);
    // Every vote in the backup is one a client asked for (no stray rows).
    expect(inBackup.size).toBe(tries.filter((t) => inBackup.has(key(t))).length);
    expect(inBackup.size).toBeLessThan(tries.length);

    const counts = new Map<number, number>();
    for (const v of votes) counts.set(v.paper_id, (counts.get(v.paper_id) ?? 0) + 1);
    const papers = await restored.kysely.selectFrom('papers').select(['id', 'upvotes']).execute();
    expect(papers.length).toBe(FILLER_PAPERS + PAPERS);
    for (const p of papers) expect(p.upvotes, `paper ${p.id}`).toBe(counts.get(p.id) ?? 0);

    // Tables the burst did not write come back row for row; those it wrote were checked above.
    const written = Object.keys(before).filter((t) => before[t].sha !== after[t]?.sha);
    expect(written).toContain('votes');
    const restoredDigests = await tableDigests(restored);
    for (const t of Object.keys(before).filter((t) => !written.includes(t)))
      expect(restoredDigests[t], `table ${t}`).toEqual(before[t]);
    console.log(
      `${dialect}: backup ${(ended - began).toFixed(0)} ms; ${ackedBefore.length} votes acknowledged before it, ${during.length} during, ${askedAfter.length} after; it holds ${inBackup.size}; tables written by the burst: ${written.join(', ')}`,
    );
  });
});

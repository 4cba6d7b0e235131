import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.js';
import { arxivListingsSource } from '../../src/ingest/arxiv-listings/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { seededRandom } from '../../src/lib/seeded-random.js';
import { postComment } from '../../src/services/comments.js';
import { copyDatabase } from '../../src/services/db-copy.js';
import { setVote } from '../../src/services/votes.js';
import { describeTables, type PageKey, readPage } from '../../src/store/copy-store.js';
import { makeUser, testCtx } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { SHARED_DATA, sharedDataMissing, titleOrSkipped } from '../helpers/shared.js';

/**
 * Issue #7's acceptance for `db copy`: the whole real corpus (410 listing days, 74,728 papers),
 * with a community's votes and comments on it, moved from SQLite to PostgreSQL. Every table has
 * the same row count on both sides, and the same rows: each table's rows, read in key order, hash
 * to the same digest on both databases.
 */
const CORPUS_PARTS = ['arxiv-listings', 'daily-arXiv-ai-enhanced_data-branch_410days.tar.zst'];
const MISSING = sharedDataMissing(...CORPUS_PARTS);
const CORPUS = path.join(SHARED_DATA, ...CORPUS_PARTS);
const CORPUS_PAPERS = 74_728;
const USERS = 40;
const VOTES_PER_USER = 50;
const COMMENTS_PER_USER = 8;
const PAGE_ROWS = 5000;

/** Values as both drivers can agree on them (PostgreSQL may hand back booleans and dates). */
function canonical(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** A digest of every row of a table, in primary-key order, through the reader the copy uses. */
async function tableDigest(db: Db, table: string): Promise<{ rows: number; sha256: string }> {
  const t = (await describeTables(db)).find((x) => x.name === table)!;
  const cols = [...t.columns].sort();
  const hash = crypto.createHash('sha256');
  let rows = 0;
  let after: PageKey = null;
  for (;;) {
    const page = await readPage(db, t, cols, after, PAGE_ROWS);
    if (page.rows.length === 0) break;
    for (const r of page.rows) hash.update(`${JSON.stringify(cols.map((c) => canonical(r[c])))}\n`);
    rows += page.rows.length;
    after = page.next;
  }
  return { rows, sha256: hash.digest('hex') };
}

describe.runIf(TEST_DIALECTS.includes('postgres') && MISSING === null)(
  titleOrSkipped('db copy of the full corpus from SQLite to PostgreSQL', MISSING),
  () => {
    let src: TestDb;
    let dst: TestDb;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-corpus-'));
    afterAll(async () => {
      await Promise.all([src?.drop(), dst?.drop()]);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('copies 74,728 papers with votes and comments: identical counts and identical rows', {
      timeout: 900_000,
    }, async () => {
      const untar = spawnSync('tar', ['--zstd', '-xf', CORPUS, '-C', dir]);
      expect(untar.status, String(untar.stderr)).toBe(0);
      const files = (fs.readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => f.endsWith('.jsonl'))
        .map((f) => path.join(dir, f))
        .sort();

      src = await createTestDb('sqlite');
      const imported = await runImport(src, arxivListingsSource, files);
      expect(imported.inserted).toBe(CORPUS_PAPERS);

      // A community on top: votes and threaded comments from many users.
      const ctx = testCtx(src, { RATE_LIMIT_VOTE: '0/0/1m', RATE_LIMIT_COMMENT: '0/0/1m', NEW_ACCOUNT_HOURS: '0' });
      const paperIds = (await src.kysely.selectFrom('papers').select('id').orderBy('id').execute()).map((r) => r.id);
      const rnd = seededRandom(7);
      const pick = () => paperIds[Math.floor(rnd() * paperIds.length)];
      let votes = 0;
      let comments = 0;
      for (let u = 0; u < USERS; u++) {
        const actor = await makeUser(ctx, `reader${u}`);
        const voted = new Set<number>();
        while (voted.size < VOTES_PER_USER) voted.add(pick());
        for (const id of voted) await setVote(ctx, actor, id, true);
        votes += voted.size;
        // Every second comment answers the one before it (threads copy with their parents).
        let parent: { id: number; paperId: number } | null = null;
        for (let c = 0; c < COMMENTS_PER_USER; c++) {
          const target: { paperId: number; parentId: number | null } = parent
            ? { paperId: parent.paperId, parentId: parent.id }
            : { paperId: pick(), parentId: null };
          const posted = await postComment(ctx, actor, {
            ...target,
            body: `Comment ${c} by reader${u}: *why* does $\\alpha$ matter?`,
          });
          comments++;
          parent = parent ? null : { id: posted.id, paperId: posted.paperId };
        }
      }

      dst = await createTestDb('postgres', { migrate: false });
      const report = await copyDatabase(src, dst);
      const byTable = new Map(report.tables.map((t) => [t.table, t]));
      for (const t of report.tables) expect(t.target, t.table).toBe(t.source);
      expect(byTable.get('papers')!.source).toBe(CORPUS_PAPERS);
      expect(byTable.get('votes')!.source).toBe(votes);
      expect(byTable.get('comments')!.source).toBe(comments);
      expect(byTable.get('paper_authors')!.source).toBeGreaterThan(400_000);

      // Same rows, table by table, on both sides (not only the same counts).
      for (const t of report.tables) {
        const [a, b] = await Promise.all([tableDigest(src, t.table), tableDigest(dst, t.table)]);
        expect(b, t.table).toEqual(a);
      }
      // And the counters cards show came along: local votes and comments on top of imported ones.
      const counters = await dst.kysely
        .selectFrom('papers')
        .select((eb) => [
          eb.fn.sum<number>(eb('upvotes', '-', eb.ref('imported_upvotes'))).as('votes'),
          eb.fn.sum<number>(eb('comment_count', '-', eb.ref('imported_comment_count'))).as('comments'),
        ])
        .executeTakeFirstOrThrow();
      expect(Number(counters.votes)).toBe(votes);
      expect(Number(counters.comments)).toBe(comments);
    });
  },
);

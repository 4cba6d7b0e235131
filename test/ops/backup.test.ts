import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/model/actor.js';
import { backupFileName, pruneBackups, restoreBackup, takeBackup } from '../../src/services/backup.js';
import { setVote } from '../../src/services/votes.js';
import { type TestApp, testApp } from '../helpers/app.js';
import { makePapers, makeUser } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { tableDigests } from '../helpers/table-digest.js';

describe.each(TEST_DIALECTS)('backup and restore on %s', (dialect) => {
  let db: TestDb;
  let restored: TestDb | null = null;
  let app: TestApp;
  let dir: string;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    app = testApp(db, { NEW_ACCOUNT_HOURS: '0' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-backup-'));
  });
  afterEach(async () => {
    await app?.close();
    await db?.drop();
    await restored?.drop();
    restored = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restores every table row for row, and records the backup', async () => {
    const papers = await makePapers(db, ['2501.00001', '2501.00002', '2501.00003']);
    const ada = await makeUser(app, 'ada');
    await setVote(app, ada, papers[0], true);
    await setVote(app, ada, papers[2], true);
    const file = path.join(dir, backupFileName(new Date()));
    const taken = await takeBackup(app, file, 'cli');
    expect(taken.bytes).toBeGreaterThan(0);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    const run = await db.kysely.selectFrom('backup_runs').selectAll().executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'done', file, bytes: taken.bytes, trigger: 'cli' });
    await expect(takeBackup(app, file, 'cli')).rejects.toThrow(/already exists/);

    restored = await createTestDb(dialect, { migrate: false });
    const report = await restoreBackup(file, restored);
    expect(report.tables.every((t) => t.source === t.target)).toBe(true);
    const before = await tableDigests(db);
    const after = await tableDigests(restored);
    expect(before.votes.rows).toBe(2);
    expect(before.papers.rows).toBe(3);
    expect(after).toEqual(before);
    // Restoring again into the now-full database is refused.
    await expect(restoreBackup(file, restored)).rejects.toThrow(/not empty/);
  });

  it('taken during 100 concurrent writes, holds every vote acknowledged before it began and none half-written', async () => {
    const ids = await makePapers(
      db,
      Array.from({ length: 100 }, (_, i) => `2502.${String(i + 1).padStart(5, '0')}`),
    );
    const users: Actor[] = [];
    for (let i = 0; i < 20; i++) users.push(await makeUser(app, `voter${i}`));
    const acked = new Map<string, number>(); // "user:paper" → when acknowledged (performance.now())
    const pairs = users.flatMap((u) => ids.map((p) => ({ u, p })));
    let next = 0;
    const CONCURRENCY = 100;
    const writers = Array.from({ length: CONCURRENCY }, async () => {
      while (next < pairs.length) {
        const { u, p } = pairs[next++];
        await setVote(app, u, p, true);
        acked.set(`${u.kind === 'user' ? u.id : 0}:${p}`, performance.now());
      }
    });
    // Let the writers get going, then back up in the middle of them.
    while (acked.size < 30) await new Promise((r) => setTimeout(r, 2));
    const began = performance.now();
    const ackedBefore = new Set([...acked].filter(([, t]) => t < began).map(([k]) => k));
    const file = path.join(dir, 'during.db');
    await takeBackup(app, file, 'cli');
    await Promise.all(writers);
    expect(acked.size).toBe(pairs.length);

    restored = await createTestDb(dialect, { migrate: false });
    await restoreBackup(file, restored);
    const votes = await restored.kysely.selectFrom('votes').select(['user_id', 'paper_id']).execute();
    const inBackup = new Set(votes.map((v) => `${v.user_id}:${v.paper_id}`));
    for (const k of ackedBefore) expect(inBackup.has(k), `acknowledged vote ${k} before the backup`).toBe(true);
    expect(inBackup.size).toBeGreaterThanOrEqual(ackedBefore.size);
    expect(ackedBefore.size).toBeGreaterThanOrEqual(30);
    // None half-written: each paper's counter agrees with the votes the backup holds.
    const counts = new Map<number, number>();
    for (const v of votes) counts.set(v.paper_id, (counts.get(v.paper_id) ?? 0) + 1);
    const papers = await restored.kysely.selectFrom('papers').select(['id', 'upvotes']).execute();
    for (const p of papers) expect(p.upvotes, `paper ${p.id}`).toBe(counts.get(p.id) ?? 0);
  });

  it('keeps the newest BACKUP_KEEP files of its own naming', () => {
    const names = ['paperboy-20261101T023000Z.db', 'paperboy-20261102T023000Z.db', 'paperboy-20261103T023000Z.db'];
    for (const n of [...names, 'other.db']) fs.writeFileSync(path.join(dir, n), 'x');
    expect(pruneBackups(dir, 2)).toEqual([names[0]]);
    expect(fs.readdirSync(dir).sort()).toEqual(['other.db', names[1], names[2]]);
  });
});

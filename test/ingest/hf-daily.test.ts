import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseHfItem, unwrapDay } from '../../src/ingest/hf-daily/parse.js';
import { hfDailySource } from '../../src/ingest/hf-daily/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { emptyRecord } from '../../src/model/paper.js';
import { findPaperByArxivId, upsertPapers } from '../../src/store/paper-store.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { SHARED_DATA, sharedDataMissing, titleOrSkipped } from '../helpers/shared.js';

// Hugging Face's recorded days (../shared/data, never committed): without them every test is skipped.
const ARCHIVE_PARTS = ['hf-daily', 'hf-daily-2024-05-27_2025-12-31.tar.zst'];
const MISSING = sharedDataMissing(...ARCHIVE_PARTS);
const ARCHIVE = path.join(SHARED_DATA, ...ARCHIVE_PARTS);
let tmp: string;
let dayDir: string;
let allDays: string[];
const dayFile = (d: string) => path.join(dayDir, `${d}.json`);
const readDay = (d: string) => unwrapDay(JSON.parse(fs.readFileSync(dayFile(d), 'utf8')), d);

beforeAll(() => {
  if (MISSING) return;
  // The payloads belong to Hugging Face: unpacked to a temporary folder, never into the project.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-hf-'));
  execFileSync('tar', ['--zstd', '-xf', ARCHIVE, '-C', tmp]);
  dayDir = path.join(tmp, 'hf-daily');
  allDays = fs
    .readdirSync(dayDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dayDir, f));
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(MISSING !== null)(titleOrSkipped('Daily Papers items, as the API returned them', MISSING), () => {
  it('has the 415 days, 22 of them with Python-repr items', () => {
    expect(allDays).toHaveLength(415);
    const reprDays = allDays.filter((f) => {
      const items = unwrapDay(JSON.parse(fs.readFileSync(f, 'utf8')), path.basename(f, '.json'));
      return items.some((x) => typeof x === 'string');
    });
    expect(reprDays).toHaveLength(22);
  });

  it('reads all 415 days through the source with every item accepted', async () => {
    let read = 0;
    const rejects: string[] = [];
    for (const f of allDays) {
      for await (const item of hfDailySource.read(f)) {
        read++;
        if (item.error) rejects.push(`${path.basename(item.file)}:${item.line}: ${item.error}`);
      }
    }
    expect(rejects).toEqual([]);
    expect(read).toBe(6141);
  });

  it('reads a Python-repr item into the same fields a JSON item has', () => {
    const raw = readDay('2024-12-20')[0];
    expect(typeof raw).toBe('string');
    const r = parseHfItem(raw, '2024-12-20', 1);
    expect(r.paper).toMatchObject({
      arxivId: '2412.15115',
      title: 'Qwen2.5 Technical Report',
      publishedAt: '2024-12-19T17:56:09.000Z',
    });
    expect(r.paper.authors[0]).toBe('Qwen');
    expect(r.submittedBy).toBe('huybery');
    expect(r.submitterAvatarUrl).toMatch(/^https:\/\/cdn-avatars\.huggingface\.co\//);
    expect(r.numComments).toBeGreaterThanOrEqual(0);
  });

  it('unwraps 2025-01-10 ({status, date, count, data}) and refuses a date that disagrees', () => {
    const doc = JSON.parse(fs.readFileSync(dayFile('2025-01-10'), 'utf8'));
    expect(unwrapDay(doc, '2025-01-10')).toHaveLength(doc.count);
    expect(() => unwrapDay(doc, '2025-01-11')).toThrow(/says date 2025-01-10, its name says 2025-01-11/);
  });

  it('keeps the arXiv date (inner publishedAt) and the featured day (file name) apart', () => {
    const raw = readDay('2025-06-02')[0] as { publishedAt: string; paper: { publishedAt: string } };
    const r = parseHfItem(raw, '2025-06-02', 1);
    expect(raw.publishedAt).not.toBe(raw.paper.publishedAt);
    expect(r.paper.publishedAt).toBe(new Date(raw.paper.publishedAt).toISOString());
    expect(r.day).toBe('2025-06-02');
    expect(r.paper.aiKeywords).toContain('ProRL');
    expect(r.paper.aiSummary).toMatch(/^Prolonged reinforcement learning/);
  });

  it('reads mid-2024 items without submitter or organisation, with mediaUrl as the thumbnail', () => {
    const r = parseHfItem(readDay('2024-05-27')[0], '2024-05-27', 1);
    expect(r.submittedBy).toBeNull();
    expect(r.organization).toBeNull();
    expect(r.thumbnailUrl).toBe('https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2405.15738.png');
    expect(r.paper.importedUpvotes).toBe(32);
  });

  it('reads an organisation, GitHub repository and stars', () => {
    const r = parseHfItem(readDay('2025-10-15')[0], '2025-10-15', 1);
    expect(r.organization).toEqual({
      name: 'GD-ML',
      fullname: 'AMAP-ML',
      avatarUrl:
        'https://cdn-uploads.huggingface.co/production/uploads/67d116c47be76de1a40873ca/s5ukAx9E36ZZIKvbpBRi4.png',
    });
    expect(r.paper).toMatchObject({
      githubRepo: 'https://github.com/AMAP-ML/EPG',
      githubStars: 48,
      organizationName: 'GD-ML',
    });
    expect(r.discussionId).toBe('68eefdd1486b78128f0e337b');
  });
});

describe.skipIf(MISSING !== null).each(TEST_DIALECTS)(titleOrSkipped('hf-daily import on %s', MISSING), (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  // Every kind of mess: mid-2024 days without submitter, the 22 Python-repr days and the wrapped
  // day, March 2025 items without submitter, submitterOrganization days, organisations, the last days.
  // (All 415 days are read by the source, without a database, in the test above; the full database
  // run takes ~10 s of CPU and is the CLI acceptance run in the README's numbers.)
  const messDay = (f: string) =>
    /2024-05-2[789]|2024-12-(1[1-9]|2\d|3[01])|2025-01-(0\d|10)|2025-03-0[34]|2025-09-29|2025-10-15|2025-12-31/.test(f);

  it('imports every kind of day with nothing rejected, then finds every item unchanged', async () => {
    const days = allDays.filter(messDay);
    expect(days.length).toBe(30);
    const items = days.reduce(
      (n, f) => n + unwrapDay(JSON.parse(fs.readFileSync(f, 'utf8')), path.basename(f, '.json')).length,
      0,
    );
    const first = await runImport(db, hfDailySource, days);
    expect(first.rejects).toEqual([]);
    expect(first.read).toBe(items);
    expect(first.inserted + first.updated + first.unchanged).toBe(items);
    const second = await runImport(db, hfDailySource, days);
    expect(second).toMatchObject({ read: items, inserted: 0, updated: 0, unchanged: items, rejected: 0 });

    const dayCount = await db.kysely
      .selectFrom('daily_entries')
      .select((eb) => eb.fn.count<number>('day').distinct().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(dayCount.n)).toBe(days.length);
    const entry = await db.kysely
      .selectFrom('daily_entries as d')
      .innerJoin('papers as p', 'p.id', 'd.paper_id')
      .leftJoin('organizations as o', 'o.id', 'd.organization_id')
      .select([
        'd.position',
        'd.submitted_by',
        'd.submitter_avatar_url',
        'd.thumbnail_url',
        'd.discussion_id',
        'd.upvotes',
        'o.name as org',
        'o.fullname',
        'p.github_stars',
        'p.comment_count',
        'd.num_comments',
      ])
      .where('d.day', '=', '2025-10-15')
      .where('p.arxiv_id', '=', '2510.12586')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      position: 1,
      submitted_by: 'xiaochonglinghu',
      org: 'GD-ML',
      fullname: 'AMAP-ML',
      github_stars: 48,
      upvotes: 67,
      num_comments: 2,
      comment_count: 2,
    });
    expect(entry.submitter_avatar_url).toBe('https://huggingface.co/avatars/c56e4792332a01bf34085a75ee64916e.svg');
  });

  it('explains every rejected item with file, index and reason; the rest goes in', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-hf-bad-'));
    const good = readDay('2025-10-15').slice(0, 2) as Array<{ paper: { id: string } }>;
    const noTitle = structuredClone(good[1]) as unknown as { paper: Record<string, unknown>; title?: string };
    delete noTitle.paper.title;
    delete noTitle.title;
    const items = [
      good[0],
      42,
      "{'paper': {'id': '2510.00001', 'title': 'x'",
      { paper: { id: 'abc', title: 'x' } },
      { title: 'no paper' },
      noTitle,
      readDay('2024-12-20')[1],
    ];
    fs.writeFileSync(path.join(dir, '2025-10-15.json'), JSON.stringify(items));
    fs.writeFileSync(path.join(dir, '2025-10-16.json'), '[{"paper": ');
    fs.writeFileSync(path.join(dir, 'today.json'), '[]');
    fs.writeFileSync(
      path.join(dir, '2025-10-17.json'),
      JSON.stringify({ status: 'success', date: '2025-10-18', count: 0, data: [] }),
    );
    const files = ['2025-10-15.json', '2025-10-16.json', 'today.json', '2025-10-17.json'].map((f) => path.join(dir, f));
    const s = await runImport(db, hfDailySource, files);
    expect(s.inserted).toBe(2);
    expect(s.rejects.map((r) => [path.basename(r.file), r.line])).toEqual([
      ['2025-10-15.json', 2],
      ['2025-10-15.json', 3],
      ['2025-10-15.json', 4],
      ['2025-10-15.json', 5],
      ['2025-10-15.json', 6],
      ['2025-10-16.json', 0],
      ['today.json', 0],
      ['2025-10-17.json', 0],
    ]);
    const reasons = s.rejects.map((r) => r.reason);
    expect(reasons[0]).toMatch(/item is number, not an object/);
    expect(reasons[1]).toMatch(/not a Python literal: .* at offset \d+/);
    expect(reasons[2]).toMatch(/paper.id is not an arXiv id: "abc"/);
    expect(reasons[3]).toMatch(/paper/);
    expect(reasons[4]).toMatch(/no title/);
    expect(reasons[5]).toMatch(/not valid JSON/);
    expect(reasons[6]).toMatch(/YYYY-MM-DD\.json/);
    expect(reasons[7]).toMatch(/says date 2025-10-18/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('merges with what arXiv told us and keeps local comments when HF counts move', async () => {
    const day = '2025-10-15';
    const item = readDay(day)[0] as { numComments: number; paper: { id: string } };
    await upsertPapers(db, [
      {
        ...emptyRecord(item.paper.id),
        version: 2,
        title: 'Advancing End-to-End Pixel Space Generative Modeling via Self-supervised Pre-training',
        categories: ['cs.CV', 'cs.LG'],
        doi: '10.1/x',
        observedAt: '2025-10-14T00:00:00.000Z',
      },
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-hf-merge-'));
    const file = path.join(dir, `${day}.json`);
    fs.writeFileSync(file, JSON.stringify([item]));
    const s = await runImport(db, hfDailySource, [file]);
    expect(s).toMatchObject({ inserted: 0, updated: 1, rejected: 0 });
    let p = (await findPaperByArxivId(db, item.paper.id))!;
    expect(JSON.parse(p.categories)).toEqual(['cs.CV', 'cs.LG']);
    expect(p).toMatchObject({
      doi: '10.1/x',
      version: 2,
      github_repo: 'https://github.com/AMAP-ML/EPG',
      imported_upvotes: 67,
      comment_count: 2,
    });

    // Two comments written here; then HF's count grows from 2 to 5 on a re-import.
    await db.kysely
      .updateTable('papers')
      .set({ comment_count: p.comment_count + 2 })
      .where('id', '=', p.id)
      .execute();
    fs.writeFileSync(file, JSON.stringify([{ ...item, numComments: 5 }]));
    const again = await runImport(db, hfDailySource, [file]);
    expect(again).toMatchObject({ updated: 1, unchanged: 0 });
    p = (await findPaperByArxivId(db, item.paper.id))!;
    expect(p.comment_count).toBe(7);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

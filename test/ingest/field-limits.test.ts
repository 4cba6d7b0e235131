import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseListingLine } from '../../src/ingest/arxiv-listings/parse.js';
import { arxivListingsSource } from '../../src/ingest/arxiv-listings/source.js';
import { type AtomEntry, atomEntryToRecord } from '../../src/ingest/atom/parse.js';
import { parseHfItem } from '../../src/ingest/hf-daily/parse.js';
import { hfDailySource } from '../../src/ingest/hf-daily/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { parseKaggleLine } from '../../src/ingest/kaggle/parse.js';
import { kaggleSource } from '../../src/ingest/kaggle/source.js';
import { oaiRecordToPaper } from '../../src/ingest/oai/parse.js';
import { PAPER_FIELD_LIMITS } from '../../src/model/paper.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

/**
 * Issue #15, points 2 and 4: every import source passes its records through one check
 * (checkPaperRecord, lib/text.ts): NUL and other control characters stripped, oversized fields
 * refused with the field, the limit and the record's place, links that are not http(s) dropped;
 * the rest of the batch goes in, on both databases.
 */
const HUGE_ABSTRACT = 'x'.repeat(2_000_000);
const TOO_LONG = `abstract is 2,000,000 characters; the limit is ${PAPER_FIELD_LIMITS.abstract.toLocaleString('en')}`;

const kaggle = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: `Paper ${id}`,
  authors: 'Ada Lovelace, Alan Turing',
  abstract: 'A synthetic abstract.',
  categories: 'cs.LG',
  versions: [{ version: 'v1', created: 'Mon, 5 Jan 2026 10:00:00 GMT' }],
  update_date: '2026-01-05',
  ...extra,
});

const atomEntry = (extra: Partial<AtomEntry> = {}): AtomEntry => ({
  arxivId: '2601.00001',
  version: 1,
  title: 'A title',
  abstract: 'An abstract.',
  authors: [{ name: 'Ada Lovelace' } as AtomEntry['authors'][number]],
  categories: ['cs.LG'],
  primaryCategory: 'cs.LG',
  comment: null,
  journalRef: null,
  doi: null,
  published: '2026-01-05T00:00:00.000Z',
  updated: '2026-01-05T00:00:00.000Z',
  links: [],
  ...extra,
});

const oaiMeta = (extra: Record<string, unknown> = {}) => ({
  id: '2601.00001',
  created: '2026-01-05',
  updated: null,
  authors: [{ keyname: 'Lovelace', forenames: 'Ada', suffix: null }],
  title: 'A title',
  categories: ['cs.LG'],
  comments: null,
  journalRef: null,
  doi: null,
  license: null,
  abstract: 'An abstract.',
  ...extra,
});

const hfItem = (extra: Record<string, unknown> = {}, paper: Record<string, unknown> = {}) => ({
  paper: { id: '2601.00001', title: 'A title', summary: 'An abstract.', authors: [{ name: 'Ada' }], ...paper },
  ...extra,
});

describe('one check for every source', () => {
  // Each source's own parser, given a NUL in the title and, separately, a 2 MB abstract.
  const sources: Array<[string, (o: { title?: string; abstract?: string }) => { title: string; abstract: string }]> = [
    ['kaggle', (o) => parseKaggleLine(kaggle('2601.00001', o))],
    ['arxiv-listings', (o) => parseListingLine({ id: '2601.00001', ...o, summary: o.abstract }, '2026-01-05').paper],
    ['atom', (o) => atomEntryToRecord(atomEntry(o))],
    ['oai', (o) => oaiRecordToPaper(oaiMeta(o) as any, '2026-01-05')],
    ['hf-daily', (o) => parseHfItem(hfItem({}, { title: o.title, summary: o.abstract }), '2026-01-05', 1).paper],
  ];
  it.each(sources)('%s: strips NUL and refuses an oversized field by name', (_name, parse) => {
    const r = parse({ title: 'Attention\u0000 is all\u0007 you need', abstract: 'An abstract with a NUL\u0000.' });
    expect(r.title).toBe('Attention is all you need');
    expect(r.abstract).toBe('An abstract with a NUL.');
    expect(() => parse({ title: 'Fine', abstract: HUGE_ABSTRACT })).toThrow(TOO_LONG);
  });

  it('drops imported links that are not http(s): thumbnails, media, avatars, project pages', () => {
    const r = parseHfItem(
      hfItem(
        {
          thumbnail: 'javascript:alert(1)',
          mediaUrls: ['data:text/html,<script>x</script>', 'https://cdn.example.org/v.mp4'],
          submittedBy: { name: 'ada', fullname: 'Ada', avatarUrl: 'javascript:alert(2)' },
        },
        { projectPage: 'javascript:alert(3)', githubRepo: 'vbscript:x' },
      ),
      '2026-01-05',
      1,
    );
    expect(r.thumbnailUrl).toBeNull();
    expect(r.mediaUrls).toEqual(['https://cdn.example.org/v.mp4']);
    expect(r.submitterAvatarUrl).toBeNull();
    expect(r.paper.projectPage).toBeNull();
    expect(r.paper.githubRepo).toBeNull();
    const ok = parseHfItem(hfItem({ thumbnail: 'https://cdn.example.org/t.png' }), '2026-01-05', 1);
    expect(ok.thumbnailUrl).toBe('https://cdn.example.org/t.png');
  });

  it('refuses an oversized name or list with the field named', () => {
    expect(() => parseHfItem(hfItem({ submittedBy: { name: 'n'.repeat(5000) } }), '2026-01-05', 1)).toThrow(
      /submittedBy\.name is 5,000 characters/,
    );
    const authors = Array.from({ length: PAPER_FIELD_LIMITS.authors + 1 }, (_, i) => `Author ${i}`);
    expect(() => parseListingLine({ id: '2601.00001', title: 'T', authors }, '2026-01-05')).toThrow(
      /authors has 10,001 entries; the limit is 10,000/,
    );
  });
});

describe.each(TEST_DIALECTS)('imports with a NUL and an oversized record on %s', (dialect) => {
  let db: TestDb;
  let dir: string;
  afterEach(async () => {
    await db?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Kaggle: the NUL record goes in clean, the oversized one is reported with its line, the batch goes in', async () => {
    db = await createTestDb(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-limits-'));
    const file = path.join(dir, 'kaggle.jsonl');
    const lines = [
      kaggle('2601.00001'),
      kaggle('2601.00002', { abstract: 'Has a NUL\u0000 inside.', comments: '5 pages\u0000' }),
      kaggle('2601.00003', { abstract: HUGE_ABSTRACT }),
      kaggle('2601.00004', { title: 'Fourth\u0000' }),
    ];
    fs.writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const summary = await runImport(db, kaggleSource, [file], { batchSize: 100 });
    expect(summary).toMatchObject({ read: 4, inserted: 3, rejected: 1 });
    expect(summary.rejects).toEqual([{ file, line: 3, reason: TOO_LONG }]);
    const rows = await db.kysely
      .selectFrom('papers')
      .select(['arxiv_id', 'title', 'abstract', 'comment'])
      .orderBy('arxiv_id')
      .execute();
    expect(rows.map((r) => r.arxiv_id)).toEqual(['2601.00001', '2601.00002', '2601.00004']);
    expect(rows[1]).toMatchObject({ abstract: 'Has a NUL inside.', comment: '5 pages' });
    expect(rows[2].title).toBe('Fourth');
  });

  it('arXiv listings and Hugging Face days: the same, and no javascript: link stored', async () => {
    db = await createTestDb(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-limits-'));
    const listing = path.join(dir, '2026-01-05.jsonl');
    fs.writeFileSync(
      listing,
      `${[
        { id: '2601.00011', title: 'Listing\u0000 one', summary: 'S.' },
        { id: '2601.00012', title: 'Listing two', summary: HUGE_ABSTRACT },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n')}\n`,
    );
    const l = await runImport(db, arxivListingsSource, [listing]);
    expect(l).toMatchObject({ read: 2, inserted: 1, rejected: 1 });
    expect(l.rejects[0]).toEqual({ file: listing, line: 2, reason: TOO_LONG });

    const day = path.join(dir, '2026-01-06.json');
    fs.writeFileSync(
      day,
      JSON.stringify([
        hfItem({ thumbnail: 'javascript:alert(1)' }, { id: '2601.00021', title: 'HF\u0000 one' }),
        hfItem({}, { id: '2601.00022', summary: HUGE_ABSTRACT }),
      ]),
    );
    const h = await runImport(db, hfDailySource, [day]);
    expect(h).toMatchObject({ read: 2, inserted: 1, rejected: 1 });
    expect(h.rejects[0]).toEqual({ file: day, line: 2, reason: TOO_LONG });
    const titles = await db.kysely.selectFrom('papers').select('title').orderBy('arxiv_id').execute();
    expect(titles.map((t) => t.title)).toEqual(['Listing one', 'HF one']);
    const thumbs = await db.kysely.selectFrom('daily_entries').select('thumbnail_url').execute();
    expect(thumbs).toEqual([{ thumbnail_url: null }]);
  });
});

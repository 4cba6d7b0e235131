import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { trendingClock, trendingPapers } from '../../src/services/trending.js';
import {
  adjacentDailyDays,
  adjacentListingDays,
  dailyEntries,
  findOrganizationByName,
  latestActivityDay,
  listingCategories,
  newestPapers,
  newOnArxiv,
  organisationsByPapers,
  organizationPapers,
  paperCard,
  papersAfter,
  papersByIds,
  trendingCandidates,
} from '../../src/store/listing-store.js';
import { testApp } from '../helpers/app.js';
import { makePapers } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { type Fixture, seedFixture } from '../helpers/site-fixture.js';

describe.each(TEST_DIALECTS)('listing store on %s', (dialect) => {
  let db: TestDb;
  let fx: Fixture;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    fx = await seedFixture(db);
  });
  afterEach(async () => {
    await db.drop();
  });

  it("counts each organisation's papers once, from imports and featured days, most first", async () => {
    const meta = await findOrganizationByName(db, 'meta');
    // 2506.00004 is meta's already; give it 2506.00001 too: two papers, counted once each.
    await db.kysely
      .updateTable('papers')
      .set({ organization_id: meta?.id })
      .where('arxiv_id', '=', '2506.00001')
      .execute();
    const all = await organisationsByPapers(db, 10, 0);
    expect(all.total).toBe(3);
    expect(all.items.map((o) => [o.name.slice(0, 5), o.papers])).toEqual([
      ['meta', 2],
      ['apple', 1],
      ['evil<', 1],
    ]);
    expect(all.items[1].fullname).toBe('Apple');
    const second = await organisationsByPapers(db, 2, 2);
    expect(second.items.map((o) => o.name.slice(0, 5))).toEqual(['evil<']);
  });

  it('pages a day of Daily Papers by upvotes, then position, with the entry attached', async () => {
    const page = await dailyEntries(db, { from: '2025-06-10', to: '2025-06-10', limit: 2, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.items.map((c) => c.arxivId)).toEqual(['2506.00001', '2506.00004']);
    expect(page.items[0].daily).toMatchObject({ day: '2025-06-10', position: 0 });
    expect(page.items[1].githubRepo).toBe('https://github.com/meta/delta');
    const bySubmitter = await dailyEntries(db, {
      from: '2025-06-01',
      to: '2025-06-30',
      submitter: 'akhaliq',
      limit: 10,
      offset: 0,
    });
    expect(bySubmitter.items.map((c) => c.arxivId)).toEqual(['2506.00006']);
    expect(bySubmitter.items[0].organization).toEqual({ name: 'apple', fullname: 'Apple', avatarUrl: null });
  });

  it('finds neighbouring days, new papers by category and their counts', async () => {
    expect(await adjacentDailyDays(db, '2025-06-10')).toEqual({ prev: null, next: '2025-06-11' });
    expect(await adjacentListingDays(db, '2025-06-11')).toEqual({ prev: '2025-06-10', next: null });
    expect(await latestActivityDay(db)).toBe('2025-06-11');
    expect(await listingCategories(db, '2025-06-11')).toEqual([
      { category: 'cs.CL', count: 1 },
      { category: 'stat.ML', count: 1 },
    ]);
    const stat = await newOnArxiv(db, {
      from: '2025-06-11',
      to: '2025-06-11',
      category: 'stat.ML',
      limit: 10,
      offset: 0,
    });
    expect(stat.items.map((c) => c.arxivId)).toEqual(['2506.00007']);
    expect((await newestPapers(db, 2)).map((c) => c.arxivId)).toEqual(['2506.00007', '2506.00006']);
  });

  it("lists an organisation's papers, cards by id and one paper with its entry", async () => {
    const meta = await findOrganizationByName(db, 'meta');
    const page = await organizationPapers(db, meta!.id, 10, 0);
    expect(page.items.map((c) => c.arxivId)).toEqual(['2506.00004']);
    expect((await papersByIds(db, [fx.ids.E, 999_999, fx.ids.A])).map((c) => c.arxivId)).toEqual([
      '2506.00006',
      '2506.00001',
    ]);
    const e = await paperCard(db, '2506.00006');
    expect(e?.daily?.submittedBy).toBe('akhaliq');
    expect(await paperCard(db, '2506.99999')).toBeNull();
  });

  it('pages every paper by keyset without repeats', async () => {
    const seen: string[] = [];
    let cursor = null;
    for (;;) {
      const page = await papersAfter(db, cursor, 4);
      seen.push(...page.map((c) => c.arxivId));
      if (page.length < 4) break;
      const last = page[page.length - 1];
      cursor = { publishedAt: last.publishedAt ?? '', id: last.id };
    }
    expect(new Set(seen).size).toBe(6);
    expect(seen).toHaveLength(6);
  });

  it('takes the most upvoted of the papers published since the day when more than the candidates allowed', async () => {
    // 510 new papers (more than MAX_TRENDING_CANDIDATES, 500) with distinct upvotes, one more before the day.
    const ids = await makePapers(
      db,
      Array.from({ length: 510 }, (_, i) => `2601.${String(10000 + i)}`),
      { publishedAt: '2026-01-05T00:00:00.000Z' },
    );
    await makePapers(db, ['2512.99999'], { publishedAt: '2025-12-01T00:00:00.000Z', importedUpvotes: 10_000 });
    const first = Math.min(...ids);
    await db.kysely
      .updateTable('papers')
      .set({ upvotes: sql`id - ${first}` })
      .where('id', 'in', ids)
      .execute();
    const got = await trendingCandidates(db, '2026-01-01');
    const fresh = got.filter((c) => c.card.arxivId.startsWith('2601.'));
    expect(fresh).toHaveLength(500);
    // The ten least upvoted are left out.
    const eleventh = [...ids].sort((a, b) => a - b)[10] - first;
    expect(Math.min(...fresh.map((c) => c.card.upvotes))).toBe(eleventh);
    expect(got.some((c) => c.card.arxivId === '2512.99999')).toBe(false);
  });

  it('scores trending candidates from their Daily Papers day, on a clock that stops when papers stop', async () => {
    const candidates = await trendingCandidates(db, '2025-06-05');
    expect(candidates.find((c) => c.card.arxivId === '2506.00002')?.enteredAt).toBe('2025-06-10T00:00:00.000Z');
    expect(candidates).toHaveLength(6);
    const app: App = testApp(db);
    const later = new Date('2026-01-01T00:00:00Z');
    expect((await trendingClock(app, later)).toISOString()).toBe('2025-06-12T00:00:00.000Z');
    const soon = new Date('2025-06-12T12:00:00Z');
    expect((await trendingClock(app, soon)).toISOString()).toBe(soon.toISOString());
    const { items } = await trendingPapers(app, soon, 3);
    // Beta: 20 votes, 2.5 days old; Epsilon: 7 votes, 1.5 days old; Delta: 5 votes + code, 2.5 days.
    expect(items.map((i) => i.card.arxivId)).toEqual(['2506.00002', '2506.00006', '2506.00004']);
    expect(items[0].score).toBeCloseTo(20 * 0.5 ** (60 / 36), 6);
  });
});

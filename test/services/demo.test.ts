import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/lib/seeded-random.js';
import {
  DEMO_ORGANISATIONS,
  DEMO_SEED,
  FEATURED_PER_DAY_MAX,
  FEATURED_PER_DAY_MIN,
  planDemoCommunity,
  submissionWindowEnd,
} from '../../src/model/demo-community.js';
import { addDemoCommunity, loadDemoIfEmpty, removeDemo } from '../../src/services/demo.js';
import { submitPaper } from '../../src/services/submissions.js';
import { setVote } from '../../src/services/votes.js';
import { countDrift } from '../../src/store/stats-store.js';
import { makeUser } from '../helpers/community.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { createTestSite, type TestSite } from '../helpers/site.js';

/** Long after the demo's papers (June 2026): the site's clock when someone first starts it. */
const FIRST_START = new Date('2026-11-29T10:00:00.000Z');

describe('the demo community plan', () => {
  const candidates = Array.from({ length: 300 }, (_, i) => ({
    paperId: i + 1,
    day: `2026-06-${String(10 + (i % 3)).padStart(2, '0')}`,
    primaryCategory: ['cs.CV', 'cs.CL', 'math.AP', null][i % 4],
  }));

  it('is the same for the same seed, and different for another', () => {
    const a = planDemoCommunity(candidates, seededRandom(DEMO_SEED));
    expect(planDemoCommunity(candidates, seededRandom(DEMO_SEED))).toEqual(a);
    expect(planDemoCommunity(candidates, seededRandom(DEMO_SEED + 1)).votes).not.toEqual(a.votes);
  });

  it('features each day within bounds, each paper once, votes without duplicates, replies after parents', () => {
    const p = planDemoCommunity(candidates, seededRandom(DEMO_SEED));
    for (const day of ['2026-06-10', '2026-06-11', '2026-06-12']) {
      const n = p.entries.filter((e) => e.day === day).length;
      expect(n).toBeGreaterThanOrEqual(FEATURED_PER_DAY_MIN);
      expect(n).toBeLessThanOrEqual(FEATURED_PER_DAY_MAX);
    }
    expect(new Set(p.entries.map((e) => e.paperId)).size).toBe(p.entries.length);
    const keys = p.votes.map((v) => `${v.username}|${v.paperId}`);
    expect(new Set(keys).size).toBe(keys.length);
    // Every featured paper has its submitter's vote.
    for (const e of p.entries) expect(keys).toContain(`${e.submittedBy}|${e.paperId}`);
    p.comments.forEach((c, i) => {
      if (c.replyTo !== null) {
        expect(c.replyTo).toBeLessThan(i);
        expect(p.comments[c.replyTo].paperId).toBe(c.paperId);
      }
    });
    // Organisations only where the category is covered (math.AP → the theory lab; none for null).
    for (const e of p.entries) {
      if (!e.organisation) continue;
      const c = candidates.find((x) => x.paperId === e.paperId)!;
      const org = DEMO_ORGANISATIONS.find((o) => o.name === e.organisation)!;
      expect(org.areas.some((a) => a === c.primaryCategory || a === c.primaryCategory?.split('.')[0])).toBe(true);
    }
    expect(p.users.every((u) => u.email.endsWith('@demo.invalid'))).toBe(true);
  });

  it('counts the submission window back from the newest paper only when the site is older than it', () => {
    const now = new Date('2026-11-29T00:00:00.000Z');
    expect(submissionWindowEnd(now, '2026-07-01T00:00:00.000Z', 14).toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(submissionWindowEnd(now, '2026-11-20T00:00:00.000Z', 14)).toBe(now);
    expect(submissionWindowEnd(now, null, 14)).toBe(now);
    expect(submissionWindowEnd(now, 'not a date', 14)).toBe(now);
  });
});

describe.each(TEST_DIALECTS)('the demo on first start, on %s', (dialect) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await createTestSite(dialect, FIRST_START);
    const loaded = await loadDemoIfEmpty(site.app);
    expect(loaded?.papers.inserted).toBeGreaterThan(1000);
    expect(loaded?.community.entries).toBeGreaterThan(100);
    // A second start finds papers and touches nothing.
    expect(await loadDemoIfEmpty(site.app)).toBeNull();
  }, 180_000);
  afterAll(async () => {
    await site?.close();
  });

  it('is a Daily Papers site: featured lists with upvotes, organisations, comments, trending, a banner', async () => {
    expect(await countDrift(site.db)).toBe(0);
    const home = await site.server.inject({ url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<h1>Daily Papers</h1>');
    expect(home.body).toContain('class="demo-banner"');
    expect(home.body).toContain('paperboy demo remove');

    const api = await site.server.inject({ url: '/api/daily_papers?limit=100' });
    const items = api.json() as Array<{ paper: { upvotes: number }; organization?: { name: string } }>;
    expect(items.length).toBeGreaterThanOrEqual(FEATURED_PER_DAY_MIN);
    expect(items.some((x) => x.paper.upvotes >= 5)).toBe(true);
    expect(items.filter((x) => x.organization).length).toBeGreaterThan(0);

    const org = items.find((x) => x.organization)!.organization!.name;
    const orgPage = await site.server.inject({ url: `/orgs/${org}` });
    expect(orgPage.statusCode).toBe(200);

    const trending = await site.server.inject({ url: '/api/daily_papers?sort=trending&limit=5' });
    expect(trending.statusCode).toBe(200);
    const trendingPage = await site.server.inject({ url: '/papers/trending' });
    expect(trendingPage.statusCode).toBe(200);
    expect(trendingPage.body).toContain('/papers/26');

    const discussed = await site.db.kysely
      .selectFrom('papers')
      .select('arxiv_id')
      .where('comment_count', '>', 0)
      .executeTakeFirstOrThrow();
    const paperPage = await site.server.inject({ url: `/papers/${discussed.arxiv_id}` });
    expect(paperPage.statusCode).toBe(200);
    expect(paperPage.body).toMatch(/class="comment/);
  });

  it('takes a submission of a demo paper that is not featured yet, and refuses one older than the window', async () => {
    const ada = await makeUser(site.app, 'ada-real', 'user', { createdHoursAgo: 24 * 30 });
    // The newest paper not featured yet: within the window counted from the site's newest paper.
    const free = await site.db.kysely
      .selectFrom('papers')
      .select(['arxiv_id'])
      .where('id', 'not in', (eb) => eb.selectFrom('daily_entries').select('paper_id'))
      .orderBy('published_at', 'desc')
      .executeTakeFirstOrThrow();
    const r = await submitPaper(site.app, ada, free.arxiv_id);
    expect(r.day).toBe('2026-11-29');
    // An old paper (published long before the demo's newest) is still refused, and the reason says why.
    await site.db.kysely
      .updateTable('papers')
      .set({ published_at: '2025-01-02T00:00:00.000Z' })
      .where('arxiv_id', '=', '2606.00001')
      .execute();
    const old = (
      await site.db.kysely.selectFrom('papers').select('arxiv_id').orderBy('published_at').executeTakeFirstOrThrow()
    ).arxiv_id;
    await expect(submitPaper(site.app, ada, old)).rejects.toThrow(/of this site's newest paper \(since 2026-06-/);
  });

  it('demo remove takes the community out and keeps the papers and real votes', async () => {
    const real = await makeUser(site.app, 'grace-real', 'user', { createdHoursAgo: 24 * 30 });
    const top = await site.db.kysely
      .selectFrom('papers')
      .select(['id', 'upvotes'])
      .orderBy('upvotes', 'desc')
      .executeTakeFirstOrThrow();
    await setVote(site.app, real, top.id, true);
    const papersBefore = await site.db.kysely
      .selectFrom('papers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();

    const r = await removeDemo(site.app);
    expect(r.users).toBeGreaterThan(10);
    expect(r.organisations).toBe(DEMO_ORGANISATIONS.length);
    expect(await countDrift(site.db)).toBe(0);
    const after = await site.db.kysely
      .selectFrom('papers')
      .select(['upvotes'])
      .where('id', '=', top.id)
      .executeTakeFirstOrThrow();
    expect(after.upvotes).toBe(1);
    const papersAfter = await site.db.kysely
      .selectFrom('papers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(papersAfter.n)).toBe(Number(papersBefore.n));
    const left = await site.db.kysely.selectFrom('daily_entries').select(['source']).execute();
    expect(left.map((e) => e.source)).toEqual(['community']); // ada-real's submission stays
    expect(await site.db.kysely.selectFrom('users').select('username').where('demo', '=', 1).execute()).toEqual([]);
    // The cached home page is refreshed in the background on the first request after the change.
    let home = await site.server.inject({ url: '/' });
    for (let i = 0; i < 20 && home.body.includes('class="demo-banner"'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      home = await site.server.inject({ url: '/' });
    }
    expect(home.body).not.toContain('class="demo-banner"');
    expect(home.body).toContain('datetime="2026-11-29"'); // today's list: ada-real's submission

    // And it can be generated again, the same community from the same seed.
    const again = await addDemoCommunity(site.app);
    expect(again.users).toBe(r.users);
    await expect(addDemoCommunity(site.app)).rejects.toThrow(/already loaded/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/model/actor.js';
import { emptyRecord, type PaperRecord } from '../../src/model/paper.js';
import { setSaved } from '../../src/services/reading-list.js';
import {
  addPaperSignal,
  addTextSignal,
  listSignals,
  recommendations,
  removeSignal,
  warmForYou,
} from '../../src/services/recommendations.js';
import { setVote } from '../../src/services/votes.js';
import { upsertPapers } from '../../src/store/paper-store.js';
import type { TestApp } from '../helpers/app.js';
import { makeUser, testCtx } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

// Three topics, four papers each, all published within the last week (CC0-style synthetic text).
const TOPICS = {
  decoding: [
    'Speculative decoding accelerates large language model inference with draft tokens',
    'Draft model verification for speculative decoding of language model inference',
    'Faster language model inference: tree speculative decoding with draft tokens',
    'Speculative decoding with self drafting for efficient inference of language models',
  ],
  proteins: [
    'Protein structure prediction with equivariant folding networks',
    'Folding protein structure from sequence with diffusion over residues',
    'Protein folding benchmarks for structure prediction of residues',
    'Residue contact maps improve protein structure folding prediction',
  ],
  galaxies: [
    'Dark matter halos of galaxy clusters from weak lensing surveys',
    'Galaxy cluster mass calibration with weak lensing and dark matter',
    'Weak lensing of galaxy clusters constrains dark matter halo profiles',
    'Dark matter substructure in galaxy cluster lensing surveys',
  ],
};
const AUTHORS = { decoding: 'Grace Hopper', proteins: 'Rosalind Franklin', galaxies: 'Vera Rubin' };
const NOW = new Date('2026-06-10T12:00:00Z');

describe.each(TEST_DIALECTS)('For you on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let ids: Record<keyof typeof TOPICS, number[]>;
  let ada: Actor;
  let bob: Actor;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    app = testCtx(db);
    app = { ...app, clock: { now: () => NOW } };
    const records: PaperRecord[] = [];
    let n = 0;
    for (const [topic, titles] of Object.entries(TOPICS) as Array<[keyof typeof TOPICS, string[]]>)
      titles.forEach((title, i) => {
        n++;
        records.push({
          ...emptyRecord(`2606.${String(n).padStart(5, '0')}`),
          title,
          abstract: `${title}. We study ${title.toLowerCase()} in depth.`,
          authors: [i === 3 ? 'Someone Else' : AUTHORS[topic], `Coauthor ${n}`],
          categories: [topic === 'galaxies' ? 'astro-ph.CO' : topic === 'proteins' ? 'q-bio.BM' : 'cs.CL'],
          publishedAt: `2026-06-0${4 + (n % 6)}T00:00:00.000Z`,
        });
      });
    const r = await upsertPapers(db, records);
    ids = { decoding: r.ids.slice(0, 4), proteins: r.ids.slice(4, 8), galaxies: r.ids.slice(8, 12) };
    ada = await makeUser(app, 'ada');
    bob = await makeUser(app, 'bob');
  });
  afterEach(async () => {
    await db?.drop();
  });

  const topicOf = (id: number) => (Object.keys(ids) as Array<keyof typeof TOPICS>).find((t) => ids[t].includes(id));

  it('with no signals falls back to trending and says so', async () => {
    const r = await recommendations(app, ada, { period: 'week', limit: 10 });
    expect(r.fallback).toBe(true);
    expect(r.note).toMatch(/no signals yet/);
    expect(r.items).toHaveLength(10);
    expect(r.items[0].why).toMatch(/^trending: \d+ upvotes$/);
  });

  it('learns from upvotes and saves, and says which papers it is like', async () => {
    await setVote(app, ada, ids.decoding[0], true);
    await setVote(app, ada, ids.decoding[1], true);
    await setSaved(app, ada, ids.decoding[2], true);
    const r = await recommendations(app, ada, { period: 'week', limit: 9 });
    expect(r.fallback).toBe(false);
    // Papers acted on are not recommended again; the one decoding paper left comes first.
    expect(r.items.map((i) => i.card.id)).not.toContain(ids.decoding[0]);
    expect(r.items[0].card.id).toBe(ids.decoding[3]);
    expect(r.items[0].why).toMatch(/^like 2 papers you upvoted, e\.g\. “(Speculative|Draft)/);
    // Bob's signals are his own: with none, he still gets trending.
    expect((await recommendations(app, bob, { period: 'week', limit: 5 })).fallback).toBe(true);
  });

  it('"not interested" removes the paper and demotes its kind', async () => {
    await setVote(app, ada, ids.decoding[0], true);
    await setVote(app, ada, ids.proteins[0], true);
    const before = await recommendations(app, ada, { period: 'week', limit: 10 });
    const rankOf = (r: typeof before, id: number) => r.items.findIndex((i) => i.card.id === id);
    expect(rankOf(before, ids.proteins[1])).toBeGreaterThanOrEqual(0);
    await addPaperSignal(app, ada, 'mute_paper', ids.proteins[1]);
    const after = await recommendations(app, ada, { period: 'week', limit: 10 });
    expect(rankOf(after, ids.proteins[1])).toBe(-1);
    // Its siblings fall behind every decoding paper.
    const firstProtein = after.items.findIndex((i) => topicOf(i.card.id) === 'proteins');
    const lastDecoding = after.items.map((i) => topicOf(i.card.id)).lastIndexOf('decoding');
    expect(firstProtein).toBeGreaterThan(lastDecoding);
    const scoreOf = (r: typeof before, id: number) => r.items.find((i) => i.card.id === id)!.score;
    expect(scoreOf(after, ids.proteins[2])).toBeLessThan(scoreOf(before, ids.proteins[2]));
    // A muted author's papers and a muted topic's are gone altogether.
    await addTextSignal(app, ada, 'mute_author', 'Vera  Rubin');
    await addTextSignal(app, ada, 'mute_topic', 'Dark Matter');
    const muted = await recommendations(app, ada, { period: 'week', limit: 20 });
    expect(muted.items.some((i) => topicOf(i.card.id) === 'galaxies')).toBe(false);
    // Removing the signal brings the paper back.
    await removeSignal(app, ada, 'mute_paper', String(ids.proteins[1]));
    const back = await recommendations(app, ada, { period: 'week', limit: 10 });
    expect(rankOf(back, ids.proteins[1])).toBeGreaterThanOrEqual(0);
  });

  it('names followed authors, saved searches and seeds in the reasons; settings list them', async () => {
    await addTextSignal(app, ada, 'follow_author', 'rosalind franklin');
    await addTextSignal(app, ada, 'follow_search', 'weak lensing');
    await addPaperSignal(app, ada, 'seed', ids.decoding[0]);
    const r = await recommendations(app, ada, { period: 'week', limit: 11 });
    const why = new Map(r.items.map((i) => [i.card.id, i.why]));
    expect(why.get(ids.proteins[0])).toBe('by Rosalind Franklin, an author you follow');
    expect(why.get(ids.galaxies[0])).toBe('matches your saved search ‘weak lensing’');
    expect(why.get(ids.decoding[1])).toMatch(/^more like “Speculative decoding accelerates/);
    const list = await listSignals(app, ada);
    expect(list.signals.map((s) => [s.kind, s.label]).sort()).toEqual([
      ['follow_author', 'rosalind franklin'],
      ['follow_search', 'weak lensing'],
      ['seed', TOPICS.decoding[0]],
    ]);
    expect((await listSignals(app, bob)).signals).toEqual([]);
  });

  it("builds the candidates' rows once per period, and adds a new paper's row when it arrives", async () => {
    await setVote(app, ada, ids.decoding[0], true);
    await setVote(app, ada, ids.decoding[1], true);
    const { builds, updates } = app.recsCandidates;
    await recommendations(app, ada, { period: 'week', limit: 5 });
    await recommendations(app, bob, { period: 'week', limit: 5 });
    await setSaved(app, ada, ids.decoding[2], true);
    const again = await recommendations(app, ada, { period: 'week', limit: 5 });
    expect(app.recsCandidates.builds).toBe(builds + 1);
    // The signal counted at once, from the cached rows: the saved paper is no longer recommended.
    expect(again.items.map((i) => i.card.id)).not.toContain(ids.decoding[2]);
    const r = await upsertPapers(db, [
      {
        ...emptyRecord('2606.00099'),
        title: 'Speculative decoding for speech models with draft tokens',
        abstract: 'Speculative decoding with draft tokens for speech language model inference.',
        authors: ['New Author'],
        categories: ['cs.CL'],
        publishedAt: '2026-06-09T12:00:00.000Z',
      },
    ]);
    // Unannounced, the new paper is not looked for yet; an import announces it (as import-runner does).
    expect((await recommendations(app, ada, { period: 'week', limit: 5 })).items.map((i) => i.card.id)).not.toContain(
      r.ids[0],
    );
    app.contentVersion.everythingChanged();
    const fresh = await recommendations(app, ada, { period: 'week', limit: 5 });
    expect(app.recsCandidates.builds).toBe(builds + 1);
    expect(app.recsCandidates.updates).toBe(updates + 1);
    expect(fresh.items.map((i) => i.card.id)).toContain(r.ids[0]);
  });

  it('refits the vocabulary in the background, answering meanwhile from the old one', async () => {
    await setVote(app, ada, ids.decoding[0], true);
    await setVote(app, ada, ids.decoding[1], true);
    const cache = app.recsCandidates;
    const before = await recommendations(app, ada, { period: 'week', limit: 5 });
    const builds = cache.builds;
    const [key] = [...cache.sets.keys()];
    const old = await cache.sets.get(key)!;
    // An hour and more later (REFIT_AFTER_MS): the next request starts a refit. The refit is held
    // at its first pause, so the requests below run while it is under way.
    old.builtAt -= 24 * 3_600_000;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    cache.pause = () => held;
    const during = await recommendations(app, ada, { period: 'week', limit: 5 });
    expect(cache.refits.size).toBe(1);
    const again = await recommendations(app, ada, { period: 'week', limit: 5 });
    expect(cache.refits.size).toBe(1); // one refit, not one per request
    expect((await cache.sets.get(key)!).vectorizer).toBe(old.vectorizer);
    expect(during.items.map((i) => [i.card.id, i.why])).toEqual(before.items.map((i) => [i.card.id, i.why]));
    expect(again.items.map((i) => i.card.id)).toEqual(before.items.map((i) => i.card.id));
    // Let it finish: the new set is swapped in whole; no request built one.
    release();
    await Promise.all(cache.refits.values());
    expect(cache.refits.size).toBe(0);
    expect(cache.refitted).toBe(1);
    const after = await recommendations(app, ada, { period: 'week', limit: 5 });
    const swapped = await cache.sets.get(key)!;
    expect(swapped.vectorizer).not.toBe(old.vectorizer);
    expect(Date.now() - swapped.builtAt).toBeLessThan(3_600_000);
    expect(cache.builds).toBe(builds);
    expect(after.items.map((i) => i.card.id)).toEqual(before.items.map((i) => i.card.id));
  });

  it('warms the week and the day in slices after a start, only once a reader has a signal', async () => {
    const cache = app.recsCandidates;
    expect(await warmForYou(app)).toEqual([]); // nobody has a signal: every page is trending
    expect(cache.sets.size).toBe(0);
    await setVote(app, ada, ids.decoding[0], true);
    await setVote(app, ada, ids.decoding[1], true);
    // Requests run between the slices: each pause is a turn of the event loop.
    let pauses = 0;
    cache.pause = () => {
      pauses++;
      return new Promise<void>((resolve) => setImmediate(resolve));
    };
    expect(await warmForYou(app)).toEqual(['week', 'day']);
    expect(pauses).toBeGreaterThanOrEqual(4); // at least the fit and the rows of each set
    expect(cache.warmed).toBe(2);
    const builds = cache.builds;
    const week = await recommendations(app, ada, { period: 'week', limit: 5 });
    const day = await recommendations(app, ada, { period: 'day', limit: 5 });
    expect(cache.builds).toBe(builds); // the first requests built nothing
    expect(week.fallback).toBe(false);
    expect(topicOf(week.items[0].card.id)).toBe('decoding');
    expect(day.items.length).toBeGreaterThan(0);
    expect(await warmForYou(app)).toEqual([]); // already warm
  });
});

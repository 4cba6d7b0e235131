import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.js';
import { type BackoffPolicy, backoffMs } from '../../src/model/backoff.js';
import { getJob, insertJob, JOBS_QUEUE_SPEC } from '../../src/store/job-store.js';
import { leaseQueue } from '../../src/store/lease-queue.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { secondHandle } from '../helpers/jobs.js';

const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const LEASE_MS = 60_000;

/** The jobs table under the generic queue, claiming expired leases directly or leaving them to a sweep. */
function jobsQueue(claimExpired: boolean) {
  return leaseQueue({ ...JOBS_QUEUE_SPEC, claimExpired });
}

async function addJobs(db: Db, n: number, runAt = at(0)): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await insertJob(db, { type: 't', payload: '{}', runAt, maxAttempts: 3, now: at(0) })).id);
  return ids;
}

describe('backoffMs', () => {
  const p: BackoffPolicy = { baseMs: 1000, maxMs: 10_000, jitter: 0.2 };

  it('doubles from the base and stops at the cap, at the middle of the jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, p, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect([1, 2, 3].map((a) => backoffMs(a, { ...p, jitter: 0 }, Math.random))).toEqual([1000, 2000, 4000]);
  });

  it('stays within ±jitter of the doubled wait, and spreads across it', () => {
    expect(backoffMs(3, p, () => 0)).toBe(3200);
    expect(backoffMs(3, p, () => 0.999_999)).toBe(4800);
    const seen = Array.from({ length: 2000 }, () => backoffMs(3, p));
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(3200);
    expect(Math.max(...seen)).toBeLessThanOrEqual(4800);
    // Spread, not a constant: both outer fifths of the range are hit in 2,000 draws.
    expect(seen.some((ms) => ms < 3520)).toBe(true);
    expect(seen.some((ms) => ms > 4480)).toBe(true);
    // Every attempt waits longer than the one before at worst-case jitter (1.2 × d < 0.8 × 2d).
    for (let a = 1; a < 4; a++) expect(backoffMs(a + 1, p, () => 0)).toBeGreaterThan(backoffMs(a, p, () => 0.999_999));
  });
});

describe.each(TEST_DIALECTS)('lease queue on %s', (dialect) => {
  let db: TestDb;
  let other: Db;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    other = secondHandle(db);
  });
  afterEach(async () => {
    await other.close();
    await db.drop();
  });

  it('two claimers on their own connections never lease the same row, and together take all', async () => {
    const q = jobsQueue(false);
    const ids = await addJobs(db, 60);
    const taken: Record<string, number[]> = { a: [], b: [] };
    const claimer = async (handle: Db, owner: 'a' | 'b') => {
      for (;;) {
        const rows = await q.claim(handle, { owner, now: at(1), leaseUntil: at(LEASE_MS), limit: 4 });
        if (rows.length === 0) return;
        for (const r of rows)
          expect(r).toMatchObject({ state: 'running', locked_by: owner, locked_until: at(LEASE_MS) });
        taken[owner].push(...rows.map((r) => r.id));
      }
    };
    await Promise.all([claimer(db, 'a'), claimer(other, 'b'), claimer(db, 'a'), claimer(other, 'b')]);
    const all = [...taken.a, ...taken.b];
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort((x, y) => x - y)).toEqual(ids);
    expect(taken.a.length).toBeGreaterThan(0);
    expect(taken.b.length).toBeGreaterThan(0);
  });

  it('claims due rows only, in order, and passes further values and conditions', async () => {
    const q = jobsQueue(false);
    const [late] = await addJobs(db, 1, at(5000));
    const early = await addJobs(db, 2, at(1000));
    expect(await q.claim(db, { owner: 'a', now: at(0), leaseUntil: at(LEASE_MS), limit: 10 })).toEqual([]);
    const rows = await q.claim(db, {
      owner: 'a',
      now: at(5000),
      leaseUntil: at(LEASE_MS),
      limit: 10,
      where: (eb) => eb('id', '!=', early[1]),
      set: (eb) => ({ attempts: eb('attempts', '+', 1) }),
    });
    expect(rows.map((r) => [r.id, r.attempts])).toEqual([
      [early[0], 1],
      [late, 1],
    ]);
  });

  it('an expired lease is claimed again at once when claimExpired, and the old owner loses it', async () => {
    const q = jobsQueue(true);
    const [id] = await addJobs(db, 1);
    await q.claim(db, { owner: 'a', now: at(0), leaseUntil: at(1000), limit: 1 });
    // Held: nobody else gets it, renewal by someone else changes nothing, by the owner extends it.
    expect(await q.claim(other, { owner: 'b', now: at(999), leaseUntil: at(LEASE_MS), limit: 1 })).toEqual([]);
    expect(await q.renew(other, { id, owner: 'b', leaseUntil: at(LEASE_MS) })).toBe(0);
    expect(await q.renew(db, { id, owner: 'a', leaseUntil: at(2000) })).toBe(1);
    expect(await q.claim(other, { owner: 'b', now: at(1500), leaseUntil: at(LEASE_MS), limit: 1 })).toEqual([]);
    // Expired: b takes it over; a's late settlement is refused and writes nothing.
    const [row] = await q.claim(other, { owner: 'b', now: at(2001), leaseUntil: at(LEASE_MS), limit: 1 });
    expect(row).toMatchObject({ id, locked_by: 'b', state: 'running' });
    expect(await q.complete(db, id, 'a', { state: 'done', result: '"a"' })).toBe(false);
    expect(await q.complete(other, id, 'b', { state: 'done', result: '"b"' })).toBe(true);
    expect(await getJob(db, id)).toMatchObject({ state: 'done', result: '"b"', locked_by: null, locked_until: null });
  });

  it('without claimExpired an expired lease waits for the sweep, which may decide per row', async () => {
    const q = jobsQueue(false);
    const [id, other2] = await addJobs(db, 2);
    await q.claim(db, { owner: 'a', now: at(0), leaseUntil: at(1000), limit: 2 });
    expect(await q.claim(other, { owner: 'b', now: at(5000), leaseUntil: at(LEASE_MS), limit: 2 })).toEqual([]);
    expect(await q.expire(db, at(999))).toBe(0);
    expect(await q.expire(db, at(5000), (eb) => ({ last_error: eb.val('swept') }))).toBe(2);
    expect(await getJob(db, id)).toMatchObject({ state: 'queued', locked_by: null, last_error: 'swept' });
    const rows = await q.claim(other, { owner: 'b', now: at(5000), leaseUntil: at(LEASE_MS), limit: 5 });
    expect(rows.map((r) => r.id)).toEqual([id, other2]);
  });

  it('a failure is retried at its time or given up; a release is ready again at once', async () => {
    const q = jobsQueue(false);
    const [retried, dead, released] = await addJobs(db, 3);
    await q.claim(db, { owner: 'a', now: at(0), leaseUntil: at(LEASE_MS), limit: 3 });
    const retryAt = at(backoffMs(1, { baseMs: 30_000, maxMs: 600_000, jitter: 0.2 }));
    expect(await q.fail(db, retried, 'a', { retryAt, set: { last_error: 'boom' } })).toBe(true);
    expect(await q.fail(db, dead, 'a', { retryAt: null })).toBe(true);
    expect(await q.release(db, [released], 'b')).toBe(0);
    expect(await q.release(db, [released], 'a')).toBe(1);
    expect(await getJob(db, retried)).toMatchObject({ state: 'failed', run_at: retryAt, last_error: 'boom' });
    expect(await getJob(db, dead)).toMatchObject({ state: 'dead', locked_by: null });
    const now = await q.claim(other, { owner: 'b', now: at(1), leaseUntil: at(LEASE_MS), limit: 5 });
    expect(now.map((r) => r.id)).toEqual([released]);
    const later = await q.claim(other, { owner: 'b', now: retryAt, leaseUntil: at(LEASE_MS), limit: 5 });
    expect(later.map((r) => r.id)).toEqual([retried]);
  });
});

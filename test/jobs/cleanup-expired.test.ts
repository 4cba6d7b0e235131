import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { jobHandlers } from '../../src/jobs/handlers/index.js';
import { activeSchedule, checkSchedule, enqueueJob, startWorker } from '../../src/jobs/queue.js';
import { schedule } from '../../src/jobs/schedule.js';
import { getJob } from '../../src/store/job-store.js';
import { hitRateLimit } from '../../src/store/rate-limit-store.js';
import { insertOneTimeToken, insertSession } from '../../src/store/session-store.js';
import { insertUser } from '../../src/store/user-store.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { silentLog, testApp, waitFor } from '../helpers/jobs.js';

const NOW = new Date('2026-05-01T12:00:30.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const DAY_MS = 86_400_000;
const NOW_SEC = Math.floor(NOW.getTime() / 1000);

describe('the shipped schedule', () => {
  it('runs cleanup-expired every hour with a payload its handler accepts', () => {
    const entries = activeSchedule(schedule, loadConfig({ BASE_URL: 'http://localhost:3000' }));
    expect(entries.find((e) => e.name === 'cleanup-expired')).toMatchObject({
      type: 'cleanup-expired',
      intervalMinutes: 60,
    });
    expect(() => checkSchedule(entries, jobHandlers)).not.toThrow();
  });
});

describe.each(TEST_DIALECTS)('cleanup-expired job on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  async function seed(): Promise<void> {
    const user = await insertUser(db, {
      username: 'ada',
      email: 'ada@example.org',
      passwordHash: null,
      createdAt: at(-DAY_MS),
    });
    const session = (tokenHash: string, expiresAt: string) =>
      insertSession(db, { tokenHash, userId: user.id, createdAt: at(-DAY_MS), expiresAt });
    await session('s-expired', at(-1000));
    await session('s-expires-now', at(0));
    await session('s-live', at(DAY_MS));
    const token = (tokenHash: string, expiresAt: string) =>
      insertOneTimeToken(db, { tokenHash, userId: user.id, purpose: 'reset', createdAt: at(-DAY_MS), expiresAt });
    await token('t-used', at(DAY_MS));
    await db.kysely
      .updateTable('one_time_tokens')
      .set({ used_at: at(-5000) })
      .where('token_hash', '=', 't-used')
      .execute();
    await token('t-expired', at(-1000));
    await token('t-live', at(DAY_MS));
    // Default windows: vote 60 s, login 15 min. The current window of each stays; ended ones and a
    // limit that no longer exists go.
    const voteWindow = NOW_SEC - (NOW_SEC % 60);
    const loginWindow = NOW_SEC - (NOW_SEC % 900);
    await hitRateLimit(db, 'vote', 'ip:203.0.113.9', voteWindow);
    await hitRateLimit(db, 'vote', 'ip:203.0.113.9', voteWindow - 60);
    await hitRateLimit(db, 'login', 'account:ada', loginWindow);
    await hitRateLimit(db, 'login', 'account:ada', loginWindow - 900);
    await hitRateLimit(db, 'renamed-long-ago', 'ip:203.0.113.9', voteWindow);
  }

  async function runOnce(key: string): Promise<unknown> {
    const app = testApp(db, {}, { now: NOW });
    const { id } = await enqueueJob(db, 'cleanup-expired', {}, { now: NOW, dedupeKey: key });
    const w = startWorker(app, { schedule: [], pollIntervalMs: 20, log: silentLog, now: () => NOW });
    try {
      await waitFor(async () => (await getJob(db, id))?.state === 'done', `cleanup ${key} done`);
    } finally {
      await w.stop();
    }
    return JSON.parse((await getJob(db, id))!.result!);
  }

  it('deletes expired sessions, spent tokens and ended rate-limit windows; a second run deletes nothing', async () => {
    await seed();
    expect(await runOnce('first')).toEqual({ sessions: 2, oneTimeTokens: 2, rateLimitCounters: 3 });
    const sessions = await db.kysely.selectFrom('sessions').select('token_hash').execute();
    expect(sessions.map((s) => s.token_hash)).toEqual(['s-live']);
    const tokens = await db.kysely.selectFrom('one_time_tokens').select('token_hash').execute();
    expect(tokens.map((t) => t.token_hash)).toEqual(['t-live']);
    const hits = await db.kysely
      .selectFrom('rate_limit_hits')
      .select(['name', 'window_start'])
      .orderBy('name')
      .execute();
    expect(hits.map((h) => [h.name, Number(h.window_start)])).toEqual([
      ['login', NOW_SEC - (NOW_SEC % 900)],
      ['vote', NOW_SEC - (NOW_SEC % 60)],
    ]);
    expect(await runOnce('second')).toEqual({ sessions: 0, oneTimeTokens: 0, rateLimitCounters: 0 });
  });
});

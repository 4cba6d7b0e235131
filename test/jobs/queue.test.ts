import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '../../src/db/open.js';
import { defineJob } from '../../src/jobs/job.js';
import { enqueueJob, enqueueScheduleSlots, startWorker } from '../../src/jobs/queue.js';
import { countJobsByState, getJob, listJobs, retryJob } from '../../src/store/job-store.js';
import { ROOT } from '../helpers/cli.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { secondHandle, silentLog, testApp, waitFor } from '../helpers/jobs.js';

/** Fast polling so tests take seconds; production polls every second. */
const TEST_POLL_MS = 10;

describe.each(TEST_DIALECTS)('job queue on %s', (dialect) => {
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

  it('runs each job exactly once with two workers on two connections claiming at once', async () => {
    const runs: number[] = [];
    const byWorker = new Map<string, number>();
    const count = (worker: string) =>
      defineJob({
        type: 'count',
        payload: z.object({ n: z.number() }),
        async run({ jobId }) {
          runs.push(jobId);
          byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
          await new Promise((r) => setImmediate(r));
          return { n: jobId };
        },
      });
    const JOBS = 60;
    const handlers = [count('a')];
    for (let n = 0; n < JOBS; n++) await enqueueJob(db, 'count', { n }, { handlers });
    const opts = { schedule: [], pollIntervalMs: TEST_POLL_MS, concurrency: 3, log: silentLog };
    const a = startWorker(testApp(db), { ...opts, workerId: 'a', handlers });
    const b = startWorker(testApp(other), { ...opts, workerId: 'b', handlers: [count('b')] });
    await waitFor(async () => (await countJobsByState(db)).done === JOBS, 'all jobs done');
    await Promise.all([a.stop(), b.stop()]);
    expect(runs.length).toBe(JOBS);
    expect(new Set(runs).size).toBe(JOBS);
    const jobs = await listJobs(db, { limit: 1000 });
    expect(jobs.every((j) => j.state === 'done' && j.attempts === 1 && j.locked_by === null)).toBe(true);
    expect(JSON.parse(jobs[0].result!)).toEqual({ n: jobs[0].id });
    expect((byWorker.get('a') ?? 0) + (byWorker.get('b') ?? 0)).toBe(JOBS);
  });

  it('runs each job exactly once with two worker processes claiming at once', async () => {
    const JOBS = 80;
    const handlers = [defineJob({ type: 'record', payload: z.object({}), run: async () => undefined })];
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pb-runs-')), 'runs.log');
    fs.writeFileSync(log, '');
    let ready = 0;
    const children = [0, 1].map(() => {
      const c = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/worker-child.ts')], {
        cwd: ROOT,
        env: {
          ...process.env,
          BASE_URL: 'http://localhost:3000',
          ...db.env,
          TEST_LEASE_MS: '60000',
          TEST_RUN_LOG: log,
        },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      c.stdout.on('data', (d) => (ready += String(d).includes('ready') ? 1 : 0));
      return c;
    });
    try {
      // Both processes are polling before the jobs arrive, so they race for every one.
      await waitFor(async () => ready === 2, 'both worker processes to start', 30_000);
      for (let n = 0; n < JOBS; n++) await enqueueJob(db, 'record', {}, { handlers });
      await waitFor(
        async () => (await countJobsByState(db)).done === JOBS,
        'all jobs done by the two processes',
        45_000,
      );
    } finally {
      for (const c of children) c.kill('SIGKILL');
    }
    const runs = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '));
    expect(runs.length).toBe(JOBS);
    expect(new Set(runs.map(([id]) => id)).size).toBe(JOBS);
    expect(new Set(runs.map(([, pid]) => pid)).size).toBe(2);
    const attempts = new Set((await listJobs(db, { limit: 1000 })).map((j) => j.attempts));
    expect([...attempts]).toEqual([1]);
  });

  it('retries with doubling backoff, then dead-letters, and a retried dead job runs again', async () => {
    let clock = new Date('2026-01-01T00:00:00.000Z');
    let failUntil = Infinity;
    let calls = 0;
    const flaky = defineJob({
      type: 'flaky',
      payload: z.object({}),
      maxAttempts: 3,
      async run() {
        calls++;
        if (calls <= failUntil) throw new Error(`boom ${calls}`);
        return 'ok';
      },
    });
    const handlers = [flaky];
    const { id } = await enqueueJob(db, 'flaky', {}, { handlers, now: clock });
    const w = startWorker(testApp(db), {
      handlers,
      schedule: [],
      pollIntervalMs: TEST_POLL_MS,
      log: silentLog,
      now: () => clock,
      retryBaseMs: 1000,
      retryMaxMs: 10_000,
      // Exact doubling here; the jitter's bounds are tested with the lease queue.
      retryJitter: 0,
    });
    try {
      const stateAfter = async (attempts: number) => {
        await waitFor(async () => {
          const j = await getJob(db, id);
          return j!.attempts === attempts && j!.state !== 'running';
        }, `attempt ${attempts}`);
        return (await getJob(db, id))!;
      };
      let j = await stateAfter(1);
      expect(j.state).toBe('failed');
      expect(j.last_error).toMatch(/boom 1/);
      expect(j.run_at).toBe('2026-01-01T00:00:01.000Z');
      // Not due yet: nothing happens until the clock passes run_at.
      await new Promise((r) => setTimeout(r, TEST_POLL_MS * 10));
      expect((await getJob(db, id))!.attempts).toBe(1);
      clock = new Date('2026-01-01T00:00:01.000Z');
      j = await stateAfter(2);
      expect(j.state).toBe('failed');
      expect(j.run_at).toBe('2026-01-01T00:00:03.000Z');
      clock = new Date('2026-01-01T00:00:03.000Z');
      j = await stateAfter(3);
      expect(j.state).toBe('dead');
      expect(j.last_error).toMatch(/boom 3/);
      expect(j.finished_at).toBe('2026-01-01T00:00:03.000Z');
      expect((await countJobsByState(db)).dead).toBe(1);

      failUntil = 3;
      expect(await retryJob(db, id, clock.toISOString())).toBe(true);
      await waitFor(async () => (await getJob(db, id))!.state === 'done', 'retried job done');
      j = (await getJob(db, id))!;
      expect(j.attempts).toBe(1);
      expect(JSON.parse(j.result!)).toBe('ok');
      expect(calls).toBe(4);
    } finally {
      await w.stop();
    }
  });

  it('dead-letters a payload its handler rejects, without running it', async () => {
    const handlers = [defineJob({ type: 'typed', payload: z.object({ n: z.number() }), run: async () => 'ran' })];
    await expect(enqueueJob(db, 'typed', { n: 'x' }, { handlers })).rejects.toThrow(/invalid payload for typed: n/);
    await expect(enqueueJob(db, 'nope', {}, { handlers })).rejects.toThrow(/unknown job type "nope"/);
  });

  it('a worker killed with SIGKILL mid-job loses no job: another worker finishes it after the lease', async () => {
    const LEASE_MS = 1500;
    const { id } = await enqueueJob(
      db,
      'block',
      {},
      { handlers: [defineJob({ type: 'block', payload: z.object({}), run: async () => undefined })] },
    );
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/helpers/worker-child.ts')], {
      cwd: ROOT,
      env: { ...process.env, BASE_URL: 'http://localhost:3000', ...db.env, TEST_LEASE_MS: String(LEASE_MS) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise((r) => child.on('exit', r));
    try {
      await waitFor(
        async () => out.includes(`started ${id}`) || child.exitCode !== null,
        'the child worker to start the job',
        30_000,
      );
      expect(out, err).toContain(`started ${id}`);
      const running = (await getJob(db, id))!;
      expect(running.state).toBe('running');
      expect(running.locked_by).toMatch(/:\d+:/);
      child.kill('SIGKILL');
      await exited;
      expect(child.signalCode).toBe('SIGKILL');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    let finishedBy = '';
    const finisher = defineJob({
      type: 'block',
      payload: z.object({}),
      async run({ attempt }) {
        finishedBy = `attempt ${attempt}`;
        return 'finished';
      },
    });
    const w = startWorker(testApp(db), {
      workerId: 'rescuer',
      handlers: [finisher],
      schedule: [],
      pollIntervalMs: TEST_POLL_MS,
      log: silentLog,
    });
    try {
      await waitFor(
        async () => (await getJob(db, id))!.state === 'done',
        'the job to be finished by the second worker',
        15_000,
      );
    } finally {
      await w.stop();
    }
    const j = (await getJob(db, id))!;
    expect(j.attempts).toBe(2);
    expect(finishedBy).toBe('attempt 2');
    expect(JSON.parse(j.result!)).toBe('finished');
  });

  it('enqueues a schedule slot once across workers racing for it', async () => {
    const handlers = [defineJob({ type: 'tick', payload: z.object({ k: z.number() }), run: async () => undefined })];
    const entries = [{ name: 'hourly-tick', intervalMinutes: 60, offsetMinutes: 5, type: 'tick', payload: { k: 1 } }];
    const at = new Date('2026-03-04T10:30:00.000Z');
    // Several "workers" (fresh memory each, two connections) enter the same slot at once.
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => enqueueScheduleSlots(i % 2 ? db : other, entries, at, new Map(), handlers)),
    );
    expect(results.reduce((a, b) => a + b, 0)).toBe(1);
    let jobs = await listJobs(db, { limit: 10 });
    expect(jobs.map((j) => [j.dedupe_key, j.run_at, j.payload])).toEqual([
      ['hourly-tick@2026-03-04T10:05:00.000Z', '2026-03-04T10:05:00.000Z', '{"k":1}'],
    ]);
    // Later in the same slot: still one; the next slot: a second job.
    expect(await enqueueScheduleSlots(other, entries, new Date('2026-03-04T11:04:59.000Z'), new Map(), handlers)).toBe(
      0,
    );
    expect(await enqueueScheduleSlots(db, entries, new Date('2026-03-04T11:05:00.000Z'), new Map(), handlers)).toBe(1);
    jobs = await listJobs(db, { limit: 10 });
    expect(jobs.map((j) => j.dedupe_key)).toEqual([
      'hourly-tick@2026-03-04T11:05:00.000Z',
      'hourly-tick@2026-03-04T10:05:00.000Z',
    ]);
  });

  it('two running workers with the same schedule run each slot once', async () => {
    const runs: string[] = [];
    let clock = new Date('2026-03-04T10:00:30.000Z');
    const handlers = [
      defineJob({ type: 'tick', payload: z.object({}), run: async ({ jobId }) => void runs.push(String(jobId)) }),
    ];
    const entries = [{ name: 'minutely', intervalMinutes: 1, type: 'tick', payload: {} }];
    const opts = { handlers, schedule: entries, pollIntervalMs: TEST_POLL_MS, log: silentLog, now: () => clock };
    const a = startWorker(testApp(db), { ...opts, workerId: 'a' });
    const b = startWorker(testApp(other), { ...opts, workerId: 'b' });
    try {
      await waitFor(async () => runs.length === 1, 'first slot run');
      clock = new Date('2026-03-04T10:01:10.000Z');
      await waitFor(async () => runs.length === 2, 'second slot run');
      await new Promise((r) => setTimeout(r, TEST_POLL_MS * 20));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(runs.length).toBe(2);
    const jobs = await listJobs(db, { limit: 10 });
    expect(jobs.map((j) => [j.dedupe_key, j.state])).toEqual([
      ['minutely@2026-03-04T10:01:00.000Z', 'done'],
      ['minutely@2026-03-04T10:00:00.000Z', 'done'],
    ]);
  });
});

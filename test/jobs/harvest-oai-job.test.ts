import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { jobHandlers } from '../../src/jobs/handlers/index.js';
import { activeSchedule, checkSchedule, enqueueJob, startWorker } from '../../src/jobs/queue.js';
import { schedule } from '../../src/jobs/schedule.js';
import { getJob } from '../../src/store/job-store.js';
import { findPaperByArxivId } from '../../src/store/paper-store.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { silentLog, testApp, waitFor } from '../helpers/jobs.js';
import { type ReplayServer, startReplayServer } from '../helpers/replay-server.js';

// A ListRecords answer in arXiv's format (synthetic, CC0 arXiv metadata), served over a real socket.
const okBody = fs.readFileSync(new URL('../fixtures/oai/listrecords-arxiv.xml', import.meta.url), 'utf8');

describe('the shipped schedule', () => {
  it('harvests only when HARVEST_OAI names a set, with that set', () => {
    const off = activeSchedule(schedule, loadConfig({ BASE_URL: 'http://localhost:3000' }));
    expect(off.map((e) => e.name)).not.toContain('harvest-oai');
    expect(off.map((e) => e.name)).toContain('prune-jobs');
    const on = activeSchedule(schedule, loadConfig({ BASE_URL: 'http://localhost:3000', HARVEST_OAI: 'cs' }));
    expect(on.find((e) => e.name === 'harvest-oai')?.payload).toEqual({ set: 'cs', firstRunDays: 2 });
    expect(on.length).toBe(off.length + 1);
    expect(() => checkSchedule(on, jobHandlers)).not.toThrow();
    expect(() => loadConfig({ HARVEST_OAI: 'not a set!' })).toThrow(/HARVEST_OAI must be an arXiv OAI set/);
  });
});

describe.each(TEST_DIALECTS)('harvest-oai job on %s', (dialect) => {
  let db: TestDb;
  let server: ReplayServer;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    server = await startReplayServer(() => ({ status: 200, body: okBody }));
  });
  afterEach(async () => {
    await server.close();
    await db.drop();
  });

  it('harvests from a few days back on a site that never harvested, and records the result', async () => {
    const { id } = await enqueueJob(db, 'harvest-oai', { set: 'all', firstRunDays: 3, url: `${server.url}/oai2` });
    const w = startWorker(testApp(db), { schedule: [], pollIntervalMs: 10, log: silentLog });
    try {
      await waitFor(
        async () => ['done', 'failed', 'dead'].includes((await getJob(db, id))!.state),
        'the harvest job to finish',
      );
    } finally {
      await w.stop();
    }
    const job = (await getJob(db, id))!;
    expect(job.last_error).toBeNull();
    expect(job.state).toBe('done');
    expect(JSON.parse(job.result!)).toMatchObject({ pages: 1, read: 2, inserted: 2, rejected: 0 });
    const q = new URL(server.requests[0].path, 'http://x').searchParams;
    expect(q.get('verb')).toBe('ListRecords');
    expect(q.get('set')).toBeNull();
    expect(q.get('from')).toBe(new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10));
    expect((await findPaperByArxivId(db, 'hep-th/9504118'))?.title).toBe(
      'Discrete Mathematics and Physics on the Planck-Scale',
    );
  });
});

import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/jobs/handlers/index.js';
import { startWorker } from '../../src/jobs/queue.js';
import { schedule } from '../../src/jobs/schedule.js';
import { sendDigests } from '../../src/services/digests.js';
import { importSubscribersCsv } from '../../src/services/subscriptions.js';
import { listJobs } from '../../src/store/job-store.js';
import { testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { seedPapers } from '../helpers/digest-fixtures.js';
import { silentLog, waitFor } from '../helpers/jobs.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

/** A running worker sends the digests that are due, by each subscriber's hour and time zone. */
const AT = '2026-06-16T09:00:00.000Z'; // Tuesday: 09:00 in London (UTC+1), 18:00 in Tokyo, 05:00 in New York

describe.each(TEST_DIALECTS)('digests from the worker schedule (%s)', (dialect) => {
  let db: TestDb;
  let sink: SmtpSink;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    await sink.close();
    await db.drop();
  });

  it('the schedule has one send-digests entry, and a worker running it mails exactly the subscribers due', async () => {
    const entry = schedule.find((e) => e.type === 'send-digests');
    expect(entry).toMatchObject({ intervalMinutes: 15, payload: { periods: ['daily', 'weekly'] } });
    const app = testApp(db, { SMTP_URL: sink.url });
    await seedPapers(db, [
      {
        arxivId: '2606.40001',
        title: 'Monday paper',
        categories: ['cs.LG'],
        upvotes: 10,
        day: '2026-06-15',
        featured: true,
      },
    ]);
    await importSubscribersCsv(
      app,
      Readable.from([
        `email,frequency,topics,hour,time_zone
london@example.org,daily,,8,Europe/London
tokyo@example.org,daily,,8,Asia/Tokyo
newyork@example.org,daily,,8,America/New_York
weekly@example.org,weekly,,8,UTC
`,
      ]),
    );
    const worker = startWorker(app, {
      handlers: jobHandlers,
      schedule: [{ ...entry!, name: 'send-digests-test', payload: { periods: ['daily', 'weekly'], at: AT } }],
      pollIntervalMs: 10,
      log: silentLog,
    });
    try {
      await waitFor(
        async () => (await listJobs(db, { limit: 10 })).some((j) => j.type === 'send-digests' && j.state === 'done'),
        'send-digests job done',
      );
    } finally {
      await worker.stop();
      app.mailer?.close();
    }
    expect(sink.mails.map((m) => m.to[0]).sort()).toEqual(['london@example.org', 'tokyo@example.org']);
    const job = (await listJobs(db, { limit: 10 })).find((j) => j.type === 'send-digests')!;
    expect(JSON.parse(job.result!)).toMatchObject({
      daily: { periodKeys: ['daily:2026-06-16'], sent: 2 },
      weekly: { sent: 0 },
    });
    // The same moment again (a retry, another worker): nothing new.
    const again = await sendDigests(app, { period: 'daily', at: new Date(AT) });
    expect(again).toMatchObject({ enqueued: 0, sent: 0, alreadyQueued: 2 });
    app.mailer?.close();
    expect(sink.mails).toHaveLength(2);
  });
});

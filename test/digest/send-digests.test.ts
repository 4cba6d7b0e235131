import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/mail/transport.js';
import { digestStatus, sendDigests } from '../../src/services/digests.js';
import { importSubscribersCsv } from '../../src/services/subscriptions.js';
import { findSubscriberByEmail } from '../../src/store/subscriber-store.js';
import { testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { seedPapers } from '../helpers/digest-fixtures.js';
import { mailParts, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

const CSV = `email,frequency,topics,count,min_upvotes
all@example.org,daily,,10,0
nlp@example.org,daily,cs.CL,10,0
google@example.org,daily,org:google,10,0
popular@example.org,daily,,2,20
nothing@example.org,daily,keyword:nonexistent-topic,10,0
weekly@example.org,weekly,,10,0
`;

describe.each(TEST_DIALECTS)('sending digests (%s)', (dialect) => {
  let db: TestDb;
  let sink: SmtpSink;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    sink = await startSmtpSink();
    await seedPapers(db, [
      {
        arxivId: '2606.10001',
        title: 'Language models <script>alert(1)</script> & friends',
        categories: ['cs.CL'],
        upvotes: 40,
        day: '2026-06-15',
        featured: true,
      },
      {
        arxivId: '2606.10002',
        title: 'Vision at scale',
        categories: ['cs.CV'],
        upvotes: 25,
        day: '2026-06-15',
        org: 'google',
        featured: true,
      },
      { arxivId: '2606.10003', title: 'Quiet results', categories: ['cs.LG'], upvotes: 3, day: '2026-06-15' },
      {
        arxivId: '2606.10004',
        title: 'Last week',
        categories: ['cs.CL'],
        upvotes: 90,
        day: '2026-06-10',
        featured: true,
      },
    ]);
  });
  afterEach(async () => {
    await sink.close();
    await db.drop();
  });

  it('sends each subscriber the papers their preferences choose, once; a re-run sends nothing new', async () => {
    const app = testApp(db, { SMTP_URL: sink.url });
    const imported = await importSubscribersCsv(app, Readable.from([CSV]));
    expect(imported).toMatchObject({ read: 6, inserted: 6, known: 0, rejected: [] });
    const mailer = createMailer(app.config)!;
    try {
      const dry = await sendDigests(app, { period: 'daily', date: '2026-06-16', dryRun: true, mailer });
      expect(dry).toMatchObject({ enqueued: 4, empty: 1, sent: 0, runId: null });
      expect(sink.mails).toHaveLength(0);

      const r = await sendDigests(app, { period: 'daily', date: '2026-06-16', mailer });
      expect(r).toMatchObject({
        periodKeys: ['daily:2026-06-16'],
        enqueued: 4,
        empty: 1,
        sent: 4,
        failed: 0,
        lostLeases: 0,
      });
      const byTo = new Map(sink.mails.map((m) => [m.to[0], m]));
      const titles = (email: string) =>
        [...mailParts(byTo.get(email)!.raw).text.matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1]);
      expect(titles('all@example.org')).toEqual([
        'Language models <script>alert(1)</script> & friends',
        'Vision at scale',
        'Quiet results',
      ]);
      expect(titles('nlp@example.org')).toEqual(['Language models <script>alert(1)</script> & friends']);
      expect(titles('google@example.org')).toEqual(['Vision at scale']);
      expect(titles('popular@example.org')).toEqual([
        'Language models <script>alert(1)</script> & friends',
        'Vision at scale',
      ]);
      expect(byTo.has('nothing@example.org')).toBe(false);
      expect(byTo.has('weekly@example.org')).toBe(false);
      const html = mailParts(byTo.get('all@example.org')!.raw).html;
      expect(html).toContain('Language models &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends');
      expect(html).not.toMatch(/<script|<img|<link|@import/i);
      expect(html).toContain('https://papers.example.org/papers/2606.10001');
      const h = byTo.get('all@example.org')!.headers;
      expect(h['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(h['list-unsubscribe']).toMatch(/^<https:\/\/papers\.example\.org\/unsubscribe\?token=[\w.-]+>$/);
      expect(h['message-id']).toMatch(/^<digest\.daily\.2026-06-16\.\d+\.[\w-]+@papers\.example\.org>$/);

      const again = await sendDigests(app, { period: 'daily', date: '2026-06-16', mailer });
      expect(again).toMatchObject({ enqueued: 0, empty: 0, alreadyQueued: 5, sent: 0 });
      expect(sink.mails).toHaveLength(4);

      const weekly = await sendDigests(app, { period: 'weekly', date: '2026-06-17', mailer });
      expect(weekly).toMatchObject({ periodKeys: ['weekly:2026-W25'], sent: 1 });
      const weeklyMail = sink.mails.find((m) => m.to[0] === 'weekly@example.org')!;
      expect(mailParts(weeklyMail.raw).text).toMatch(/^1\. Last week$/m);

      const status = await digestStatus(app);
      expect(status.runs[0]).toMatchObject({ status: 'finished', sent: 1, stale: false });
      expect(status.periods.find((p) => p.periodKey === 'daily:2026-06-16')?.counts).toEqual({ sent: 4, empty: 1 });
    } finally {
      mailer.close();
    }
  });

  it('retries temporary failures (421/451) with backoff until they pass: every digest arrives once', async () => {
    const app = testApp(db, { SMTP_URL: sink.url });
    await importSubscribersCsv(app, Readable.from([CSV]));
    let refusals = 0;
    sink.behaviour.data = () =>
      refusals++ < 6 ? { code: refusals % 2 ? 451 : 421, message: 'try again later' } : null;
    const mailer = createMailer(app.config)!;
    try {
      const r = await sendDigests(app, { period: 'daily', date: '2026-06-16', mailer, retryBaseMs: 20 });
      expect(r.deferred).toBe(6);
      expect(r.sent).toBe(4);
      expect(r.failed).toBe(0);
      expect(sink.mails.map((m) => m.to[0]).sort()).toEqual([
        'all@example.org',
        'google@example.org',
        'nlp@example.org',
        'popular@example.org',
      ]);
    } finally {
      mailer.close();
    }
  });

  it('suppresses an address after a permanent (550) failure and reports it', async () => {
    const app = testApp(db, { SMTP_URL: sink.url });
    await importSubscribersCsv(app, Readable.from([CSV]));
    sink.behaviour.rcpt = (a) => (a === 'nlp@example.org' ? { code: 550, message: 'No such user here' } : null);
    const mailer = createMailer(app.config)!;
    try {
      const r = await sendDigests(app, { period: 'daily', date: '2026-06-16', mailer });
      expect(r.sent).toBe(3);
      expect(r.failed).toBe(1);
      expect(r.suppressed).toEqual([{ email: 'nlp@example.org', reason: expect.stringMatching(/550.*No such user/) }]);
      expect((await findSubscriberByEmail(db, 'nlp@example.org'))?.status).toBe('suppressed');
      const status = await digestStatus(app);
      expect(status.failures).toEqual([
        { email: 'nlp@example.org', periodKey: 'daily:2026-06-16', error: expect.stringMatching(/550/) },
      ]);
      // The next period does not mail the suppressed address.
      await seedPapers(db, [
        { arxivId: '2606.10009', title: 'Tuesday paper', categories: ['cs.CL'], upvotes: 5, day: '2026-06-16' },
      ]);
      const next = await sendDigests(app, { period: 'daily', date: '2026-06-17', mailer });
      expect(next).toMatchObject({ sent: 1, empty: 3 }); // only all@ wants the one cs.CL paper; nlp@ is not asked
      expect(sink.mails.filter((m) => m.to[0] === 'nlp@example.org')).toHaveLength(0);
    } finally {
      mailer.close();
    }
  });
});

import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/mail/transport.js';
import { previewDigest, sendDigests } from '../../src/services/digests.js';
import { addTextSignal } from '../../src/services/recommendations.js';
import { importSubscribersCsv } from '../../src/services/subscriptions.js';
import { setVote } from '../../src/services/votes.js';
import { outboxRowsFor } from '../../src/store/digest-store.js';
import { findSubscriberByEmail } from '../../src/store/subscriber-store.js';
import { findUserByUsername } from '../../src/store/user-store.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { seedPapers } from '../helpers/digest-fixtures.js';
import { mailParts, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

// Every subscriber gets the two most upvoted papers of the day; the day also has decoding and
// protein papers. Ada (verified account, same address) upvoted decoding papers last week.
const CSV = `email,frequency,count
ada@example.org,daily,2
bob@example.org,daily,2
carol@example.org,daily,2
nobody@example.org,daily,2
`;
const DAY = '2026-06-15';
const SEND = '2026-06-16';

describe.each(TEST_DIALECTS)('digests: a "For you" section (%s)', (dialect) => {
  let db: TestDb;
  let sink: SmtpSink;
  let ids: Map<string, number>;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    sink = await startSmtpSink();
    const paper = (arxivId: string, title: string, upvotes: number, day = DAY) => ({
      arxivId,
      title,
      abstract: `${title}. We study ${title.toLowerCase()} with careful experiments.`,
      categories: ['cs.CL'],
      upvotes,
      day,
    });
    ids = await seedPapers(db, [
      paper('2606.20001', 'Galaxy cluster surveys', 90),
      paper('2606.20002', 'Robot grasping at scale', 80),
      paper('2606.20003', 'Speculative decoding with draft tokens for language model inference', 2),
      paper('2606.20004', 'Tree speculative decoding: faster draft tokens for language model inference', 1),
      paper('2606.20005', 'Protein folding with equivariant networks', 3),
      paper('2606.20006', 'Speculative decoding of language models with self drafting', 5, '2026-06-09'),
      paper('2606.20007', 'Draft tokens verified: speculative decoding for language models', 5, '2026-06-08'),
    ]);
  });
  afterEach(async () => {
    await sink.close();
    await db.drop();
  });

  it('goes to the verified account with the same address only, with reasons, exactly once', async () => {
    const app = testApp(db, { SMTP_URL: sink.url }, { now: new Date(`${SEND}T09:00:00Z`) });
    await importSubscribersCsv(app, Readable.from([CSV]));
    const ada = await makeUser(app, 'ada');
    await setVote(app, ada, ids.get('2606.20006')!, true);
    await setVote(app, ada, ids.get('2606.20007')!, true);
    // Bob has signals too, but his address is not verified.
    const bob = await makeUser(app, 'bob');
    await setVote(app, bob, ids.get('2606.20006')!, true);
    await setVote(app, bob, ids.get('2606.20007')!, true);
    await db.kysely.updateTable('users').set({ email_verified: 0 }).where('username', '=', 'bob').execute();
    // Carol's subscription was made while signed in as Ada: the address is Carol's, so no section.
    const carol = await makeUser(app, 'carol');
    await setVote(app, carol, ids.get('2606.20006')!, true);
    await addTextSignal(app, carol, 'follow_category', 'cs.CL');
    const adaRow = (await findUserByUsername(db, 'ada'))!;
    await db.kysely
      .updateTable('subscribers')
      .set({ user_id: adaRow.id })
      .where('email', '=', 'carol@example.org')
      .execute();

    const mailer = createMailer(app.config)!;
    try {
      const r = await sendDigests(app, { period: 'daily', date: SEND, mailer });
      expect(r).toMatchObject({ enqueued: 4, sent: 4, failed: 0, lostLeases: 0 });
      const byTo = new Map(sink.mails.map((m) => [m.to[0], mailParts(m.raw)]));
      const ranked = (text: string) => [...text.matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1]);
      // The arXiv ids linked in the section (between its heading and the footer).
      const forYou = (text: string) => {
        const section = text.split(/^For you\r?$/m)[1]?.split(/^-- /m)[0] ?? '';
        return [...section.matchAll(/\/papers\/(\d{4}\.\d{5})/g)].map((m) => m[1]);
      };

      const a = byTo.get('ada@example.org')!;
      expect(ranked(a.text)).toEqual(['Galaxy cluster surveys', 'Robot grasping at scale']);
      expect(a.text).toMatch(/^For you\r?\n-------\r?\n/m);
      expect(a.text).toContain('Change what it learns from: https://papers.example.org/settings/for-you');
      // Her picks: the day's decoding papers first, never one the digest already lists.
      const picks = forYou(a.text);
      expect(picks.slice(0, 2).sort()).toEqual(['2606.20003', '2606.20004']);
      expect(picks).not.toContain('2606.20001');
      expect(picks).not.toContain('2606.20002');
      // Papers she already upvoted, and papers from outside the digest's days, are not picks.
      expect(picks).not.toContain('2606.20006');
      // The reason names her real signals.
      expect(a.text).toMatch(
        /^ {2}like 2 papers you upvoted, e\.g\. “(Speculative decoding of|Draft tokens verified)/m,
      );
      expect(a.text).toMatch(/^\* Speculative decoding with draft tokens for language model/m);
      expect(a.html).toContain('For you');
      expect(a.html).toContain('https://papers.example.org/papers/2606.20003');
      expect(a.html).toMatch(/like 2 papers you upvoted, e\.g\. &#8220;/);

      for (const other of ['bob@example.org', 'carol@example.org', 'nobody@example.org']) {
        const m = byTo.get(other)!;
        expect(ranked(m.text)).toEqual(['Galaxy cluster surveys', 'Robot grasping at scale']);
        expect(m.text).not.toContain('For you');
        expect(m.text).not.toMatch(/you upvoted|you follow/);
      }

      // The section is kept with the row; a re-run (even after new signals) sends nothing again.
      const sub = (await findSubscriberByEmail(db, 'ada@example.org'))!;
      const row = (await outboxRowsFor(db, { periodKey: `daily:${SEND}` }, 10)).find(
        (o) => o.subscriber_id === sub.id,
      )!;
      expect(JSON.parse(row.for_you!).map((e: { id: number }) => e.id)).toContain(ids.get('2606.20003'));
      await addTextSignal(app, ada, 'follow_author', 'Author 1');
      const again = await sendDigests(app, { period: 'daily', date: SEND, mailer });
      expect(again).toMatchObject({ enqueued: 0, alreadyQueued: 4, sent: 0 });
      expect(sink.mails).toHaveLength(4);

      // The preview shows the section the same way.
      const preview = await previewDigest(app, 'ada@example.org', { date: SEND });
      expect(preview.mail.text).toMatch(/^For you\r?\n-------\r?\n/m);
      expect((await previewDigest(app, 'bob@example.org', { date: SEND })).mail.text).not.toContain('For you');
    } finally {
      mailer.close();
    }
  });
});

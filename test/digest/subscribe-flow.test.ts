import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { buildServer } from '../../src/http/server.js';
import { createMailer } from '../../src/mail/transport.js';
import { sendDigests } from '../../src/services/digests.js';
import { subscriberToken } from '../../src/services/subscriptions.js';
import { findSubscriberByEmail } from '../../src/store/subscriber-store.js';
import { TEST_SECRET, testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { seedPapers } from '../helpers/digest-fixtures.js';
import { listUnsubscribeUrl, mailParts, type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

const form = (o: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(o).toString(),
});

describe.each(TEST_DIALECTS)('subscribe → confirm → digest → one-click unsubscribe (%s)', (dialect) => {
  let db: TestDb;
  let sink: SmtpSink;
  let server: FastifyInstance;
  let app: App;
  let base: string;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    sink = await startSmtpSink();
    app = testApp(db);
    server = await buildServer(app);
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
    // The links in mail need the port, known only now: the App takes its final settings and mailer.
    app.config = loadConfig({ SECRET_KEY: TEST_SECRET, BASE_URL: base, SMTP_URL: sink.url });
    app.mailer = createMailer(app.config);
    await seedPapers(db, [
      {
        arxivId: '2606.20001',
        title: 'Speech recognition in the wild',
        categories: ['cs.CL', 'eess.AS'],
        upvotes: 12,
        day: '2026-06-15',
        featured: true,
      },
      {
        arxivId: '2606.20002',
        title: 'Robots that fold laundry',
        categories: ['cs.RO'],
        upvotes: 30,
        day: '2026-06-15',
        featured: true,
      },
      { arxivId: '2606.20003', title: 'Speech tokenizers', categories: ['cs.SD'], upvotes: 2, day: '2026-06-15' },
    ]);
  });
  afterEach(async () => {
    await server.close();
    app.mailer?.close();
    await sink.close();
    await db.drop();
  });

  it('runs the whole life of a subscription over HTTP and SMTP', async () => {
    // Subscribe with the form (no JavaScript: a plain urlencoded POST).
    const res = await fetch(`${base}/subscribe`, form({ email: ' Reader@Example.org ' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    expect(sink.mails).toHaveLength(1);
    const confirmation = sink.mails[0];
    expect(confirmation.to).toEqual(['reader@example.org']);
    expect((await findSubscriberByEmail(db, 'reader@example.org'))?.status).toBe('pending');

    // Not confirmed yet: no digest.
    expect((await sendDigests(app, { period: 'daily', date: '2026-06-16' })).sent).toBe(0);

    // The link in the mail confirms.
    const link = /(http:\/\/127\.0\.0\.1:\d+\/subscribe\/confirm\?token=[\w.-]+)/.exec(
      mailParts(confirmation.raw).text,
    )![1];
    const confirmed = await fetch(link);
    expect(confirmed.status).toBe(200);
    const confirmedHtml = await confirmed.text();
    expect(confirmedHtml).toContain('You are subscribed');
    expect((await findSubscriberByEmail(db, 'reader@example.org'))?.status).toBe('active');

    // Preferences from the link on that page: keyword "speech", 1 paper at least 5 upvotes... then widen.
    const prefsUrl = /href="([^"]*\/preferences\?token=[^"]+)"/.exec(confirmedHtml)![1].replace(/&amp;/g, '&');
    const prefsPage = await fetch(prefsUrl);
    expect(prefsPage.status).toBe(200);
    const bad = await fetch(
      prefsUrl,
      form({ frequency: 'daily', send_hour: '30', time_zone: 'Nowhere/Land', paper_count: '5', min_upvotes: '0' }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/unknown time zone/);
    const saved = await fetch(
      prefsUrl,
      form({
        frequency: 'daily',
        send_hour: '7',
        time_zone: 'Europe/Paris',
        paper_count: '5',
        min_upvotes: '0',
        keywords: 'speech',
        categories: '',
        organizations: '',
      }),
    );
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Saved.');

    // The digest: only the papers about speech, best first.
    const r = await sendDigests(app, { period: 'daily', date: '2026-06-16' });
    expect(r.sent).toBe(1);
    const digest = sink.mails[1];
    expect(digest.to).toEqual(['reader@example.org']);
    expect([...mailParts(digest.raw).text.matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1])).toEqual([
      'Speech recognition in the wild',
      'Speech tokenizers',
    ]);

    // One-click unsubscribe exactly as a mail client does it (RFC 8058): POST to the header's URL.
    const unsubUrl = listUnsubscribeUrl(digest);
    expect(digest.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const oneClick = await fetch(unsubUrl, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(oneClick.status).toBe(200);
    expect((await findSubscriberByEmail(db, 'reader@example.org'))?.status).toBe('unsubscribed');

    // No further mail: the next day's digest skips the address.
    await seedPapers(db, [
      {
        arxivId: '2606.20004',
        title: 'Speech again',
        categories: ['cs.CL'],
        upvotes: 50,
        day: '2026-06-16',
        featured: true,
      },
    ]);
    const next = await sendDigests(app, { period: 'daily', date: '2026-06-17' });
    expect(next.enqueued + next.sent).toBe(0);
    expect(sink.mails).toHaveLength(2);
  });

  it('one-click also works as multipart/form-data, and GET only asks (link scanners must not unsubscribe)', async () => {
    await fetch(`${base}/subscribe`, form({ email: 'a@example.org' }));
    const sub = (await findSubscriberByEmail(db, 'a@example.org'))!;
    const token = subscriberToken(app, 'unsubscribe', sub);
    const page = await fetch(`${base}/unsubscribe?token=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post" action="/unsubscribe">');
    expect((await findSubscriberByEmail(db, 'a@example.org'))?.status).toBe('pending');
    const fd = new FormData();
    fd.set('List-Unsubscribe', 'One-Click');
    const res = await fetch(`${base}/unsubscribe?token=${token}`, { method: 'POST', body: fd });
    expect(res.status).toBe(200);
    expect((await findSubscriberByEmail(db, 'a@example.org'))?.status).toBe('unsubscribed');
  });

  it('refuses forged, cross-purpose and cross-address tokens with a 400 page', async () => {
    await fetch(`${base}/subscribe`, form({ email: 'a@example.org' }));
    await fetch(`${base}/subscribe`, form({ email: 'b@example.org' }));
    const a = (await findSubscriberByEmail(db, 'a@example.org'))!;
    const b = (await findSubscriberByEmail(db, 'b@example.org'))!;
    const prefsA = subscriberToken(app, 'preferences', a);
    const [, issued, sig] = subscriberToken(app, 'unsubscribe', a).split('.');
    for (const token of [prefsA, `${b.id}.${issued}.${sig}`, 'garbage', '', `${a.id}.${issued}.${'A'.repeat(22)}`]) {
      const res = await fetch(
        `${base}/unsubscribe?token=${encodeURIComponent(token)}`,
        form({ 'List-Unsubscribe': 'One-Click' }),
      );
      expect(res.status).toBe(400);
      expect(await res.text()).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    }
    expect((await findSubscriberByEmail(db, 'a@example.org'))?.status).toBe('pending');
    expect((await findSubscriberByEmail(db, 'b@example.org'))?.status).toBe('pending');
    expect((await fetch(`${base}/subscribe/confirm?token=${prefsA}`)).status).toBe(400);
    expect((await fetch(`${base}/preferences`)).status).toBe(400);
    // A bad address is a 400 with a message; asking twice in a row sends one confirmation only.
    const bad = await fetch(`${base}/subscribe`, form({ email: 'not an address' }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('does not look like an email address');
    await fetch(`${base}/subscribe`, form({ email: 'a@example.org' }));
    expect(sink.mails.filter((m) => m.to[0] === 'a@example.org')).toHaveLength(1);
  });
});

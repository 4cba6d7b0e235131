import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { ArxivClient } from '../../src/ingest/atom/client.js';
import { fillCategories } from '../../src/services/categories.js';
import { findPaperByArxivId, upsertPapers } from '../../src/store/paper-store.js';
import { type TestApp, testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { paper } from '../helpers/site.js';

/** A synthetic answer in the arXiv API's Atom format: the ids it knows, with their categories. */
function atomFeed(entries: Array<{ id: string; categories: string[] }>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
<opensearch:totalResults>${entries.length}</opensearch:totalResults>
${entries
  .map(
    (
      e,
    ) => `<entry><id>http://arxiv.org/abs/${e.id}v1</id><updated>2026-06-30T17:00:00Z</updated><published>2026-06-30T17:00:00Z</published>
<title>arXiv's title of ${e.id}</title><summary>arXiv's abstract.</summary><author><name>Ada Lovelace</name></author>
<arxiv:primary_category term="${e.categories[0]}"/>${e.categories.map((c) => `<category term="${c}"/>`).join('')}</entry>`,
  )
  .join('\n')}
</feed>`;
}

const NOW = new Date('2026-07-02T09:00:00.000Z');
const DAY_MS = 86_400_000;

describe.each(TEST_DIALECTS)('categories for papers that arrived without them, on %s', (dialect) => {
  let db: TestDb;
  let app: TestApp;
  let server: http.Server;
  let asked: string[][];
  let client: ArxivClient;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    app = testApp(db, {}, { now: NOW });
    asked = [];
    server = http.createServer((req, res) => {
      const ids = (new URL(req.url ?? '/', 'http://x').searchParams.get('id_list') ?? '').split(',');
      asked.push(ids);
      // arXiv knows the HF paper; it does not answer for the other.
      const known = ids.filter((id) => id === '2606.00001').map((id) => ({ id, categories: ['cs.CL', 'cs.LG'] }));
      res.writeHead(200, { 'content-type': 'application/atom+xml' }).end(atomFeed(known));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = new ArxivClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/query`,
      delayMs: 0,
    });
    await upsertPapers(db, [
      paper('2606.00001', { title: 'Known only from Hugging Face', categories: [] }),
      paper('2606.00002', { title: 'Unknown to arXiv', categories: [] }),
      paper('2606.00003', { title: 'From the listings', categories: ['cs.CV'] }),
    ]);
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    await db.drop();
  });

  it('asks arXiv once for the papers without categories and merges in only the categories', async () => {
    expect(await fillCategories(app, client)).toEqual({ asked: 2, filled: 1 });
    expect(asked).toEqual([['2606.00002', '2606.00001']]); // one request, newest first
    const filled = (await findPaperByArxivId(db, '2606.00001'))!;
    expect(JSON.parse(filled.categories)).toEqual(['cs.CL', 'cs.LG']);
    expect(filled.primary_category).toBe('cs.CL');
    expect(filled.title).toBe('Known only from Hugging Face'); // the rest of the record stays as imported
    expect(JSON.parse((await findPaperByArxivId(db, '2606.00002'))!.categories)).toEqual([]);
    expect(JSON.parse((await findPaperByArxivId(db, '2606.00003'))!.categories)).toEqual(['cs.CV']);
  });

  it('asks again about a paper arXiv did not answer for only after a week', async () => {
    await fillCategories(app, client);
    expect(await fillCategories(app, client)).toEqual({ asked: 0, filled: 0 });
    app.advance(8 * DAY_MS);
    expect(await fillCategories(app, client)).toEqual({ asked: 1, filled: 0 });
    expect(asked.at(-1)).toEqual(['2606.00002']);
  });

  it('leaves everything as it was when arXiv cannot be reached, so the next run asks again', async () => {
    const offline = new ArxivClient({ baseUrl: 'http://127.0.0.1:9/api/query', delayMs: 0, maxRetries: 0 });
    await expect(fillCategories(app, offline)).rejects.toThrow();
    expect((await findPaperByArxivId(db, '2606.00001'))!.categories_asked_at).toBeNull();
    expect(await fillCategories(app, client)).toEqual({ asked: 2, filled: 1 });
  });

  it('the paper page says what is known and shows the categories once filled', async () => {
    // An app that asks arXiv (its look-up is never called here: the page only needs to know it asks).
    const asking = testApp(db, {}, { now: NOW, arxivLookup: async () => null });
    const site = await buildServer(asking, { cache: { refreshMinMs: 0, refreshRenderMultiple: 0 } });
    const before = await site.inject({ method: 'GET', url: '/papers/2606.00001' });
    expect(before.body).toContain('not known yet: the source listed none; arXiv is asked within the hour');
    await fillCategories(asking, client);
    // The cached page is stale now: served once more while it re-renders in the background.
    const page = async () => (await site.inject({ method: 'GET', url: '/papers/2606.00001' })).body;
    await expect.poll(page).toContain('href="/papers?category=cs.CL">cs.CL</a>');
    expect(await page()).not.toContain('not known yet');
    const offline = await buildServer(app);
    expect((await offline.inject({ method: 'GET', url: '/papers/2606.00002' })).body).toContain(
      'this site does not ask arXiv (ARXIV_LOOKUP=off)',
    );
    await site.close();
    await offline.close();
  });
});

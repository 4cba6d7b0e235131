import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PoliteHttp } from '../../src/ingest/polite-http.js';
import { firstFigureImage, sniffPictureType } from '../../src/model/picture.js';
import { fetchPictures, MAX_PICTURE_BYTES } from '../../src/services/pictures.js';
import { upsertOrganizations } from '../../src/store/organization-store.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { type ReplayServer, type Reply, startReplayServer } from '../helpers/replay-server.js';
import { createTestSite, featurePapers, getRefreshed, listPapers, paper, type TestSite } from '../helpers/site.js';

/** A real (tiny) PNG's signature and some bytes: what the site must serve back byte for byte. */
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('IHDR-fake-but-signed-png-body')]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.from([1, 2, 3, 4])]);
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';

describe('figure rules', () => {
  it('takes the first figure with an image, resolved against the base, skipping SVG', () => {
    const page = `<base href="/html/2501.00001v2/"><p><img src="logo.png"></p>
      <figure class="ltx_table"><table></table></figure>
      <figure class="ltx_figure"><img src="x0.svg"></figure>
      <figure class="ltx_figure"><img class="ltx_graphics" src='x1.png' alt=""></figure>`;
    expect(firstFigureImage(page, 'https://arxiv.org/html/2501.00001')).toBe(
      'https://arxiv.org/html/2501.00001v2/x1.png',
    );
    expect(firstFigureImage('<p>no figures</p>', 'https://arxiv.org/html/x/')).toBeNull();
  });
  it('knows images by their bytes, not their label', () => {
    expect(sniffPictureType(PNG)).toBe('image/png');
    expect(sniffPictureType(GIF)).toBe('image/gif');
    expect(sniffPictureType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffPictureType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffPictureType(Buffer.from(SVG))).toBeNull();
  });
});

describe.each(TEST_DIALECTS)('fetch-pictures on %s', (dialect) => {
  let site: TestSite;
  let server: ReplayServer;
  let routes: Record<string, Reply | ((n: number) => Reply)>;
  let sleeps: number[];
  let http: PoliteHttp;

  beforeEach(async () => {
    routes = {};
    sleeps = [];
    server = await startReplayServer((path, n) => {
      const r = routes[path];
      if (!r) return { status: 404, body: 'not here' };
      return typeof r === 'function' ? r(n) : r;
    });
    http = new PoliteHttp({ delayMs: 0, sleep: async (ms) => void sleeps.push(ms) });
    site = await createTestSite(dialect);
    const ids = await listPapers(site.db, '2025-06-11', [
      paper('2506.01001'),
      paper('2506.01002'),
      paper('2506.01003'),
    ]);
    await featurePapers(site.db, '2025-06-11', [ids[0]], { org: { name: 'lumen', fullname: 'Lumen Vision Lab' } });
  });
  afterEach(async () => {
    await site.close();
    await server.close();
  });

  const run = () => fetchPictures(site.app, { source: `${server.url}/html/{id}`, limit: 50, http });
  const figurePage = (img: string) => ({
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: `<html><body><figure id="S1.F1"><img src="${img}" alt="Figure 1"></figure></body></html>`,
  });

  it('fetches a first figure once, serves it from the site, and records pages without one', async () => {
    routes['/html/2506.01001'] = figurePage('x1.png');
    routes['/html/2506.01001/x1.png'] = { status: 200, headers: { 'content-type': 'image/png' }, body: PNG };
    routes['/html/2506.01002'] = { status: 200, body: '<html><p>No figures here.</p></html>' };
    // 2506.01003 has no HTML rendering (404).
    expect(await run()).toEqual({ found: 1, none: 2, refused: 0, failed: 0 });

    const figure = await site.server.inject({ url: '/figures/2506.01001' });
    expect(figure.statusCode).toBe(200);
    expect(figure.headers['content-type']).toBe('image/png');
    expect(figure.headers['cache-control']).toContain('max-age=31536000');
    expect(figure.rawPayload.equals(PNG)).toBe(true);
    expect((await site.server.inject({ url: '/figures/2506.01002' })).statusCode).toBe(404);

    const day = await getRefreshed(site, '/papers/date/2025-06-11');
    expect(day.body).toContain('src="/figures/2506.01001"');
    expect(day.body).not.toMatch(/<img[^>]*\ssrc="https?:/);
    const page = await getRefreshed(site, '/papers/2506.01001');
    expect(page.body).toContain('<img src="/figures/2506.01001"');
    expect(page.body).not.toMatch(/<img[^>]*\ssrc="https?:/);

    // A second run asks nothing again: found and "none" are both remembered.
    const asked = server.requests.length;
    expect(await run()).toEqual({ found: 0, none: 0, refused: 0, failed: 0 });
    expect(server.requests.length).toBe(asked);
  });

  it('refuses oversized pictures, SVG and non-images, and does not ask again', async () => {
    routes['/html/2506.01001'] = figurePage('big.png');
    routes['/html/2506.01001/big.png'] = { status: 200, body: Buffer.alloc(MAX_PICTURE_BYTES + 1, 0x89) };
    routes['/html/2506.01002'] = figurePage('/evil.png');
    routes['/evil.png'] = { status: 200, headers: { 'content-type': 'image/png' }, body: SVG };
    routes['/html/2506.01003'] = figurePage('page.gif');
    routes['/html/2506.01003/page.gif'] = { status: 200, headers: { 'content-type': 'image/gif' }, body: '<html>' };
    expect(await run()).toEqual({ found: 0, none: 0, refused: 3, failed: 0 });
    for (const id of ['2506.01001', '2506.01002', '2506.01003'])
      expect((await site.server.inject({ url: `/figures/${id}` })).statusCode).toBe(404);
    const asked = server.requests.length;
    await run();
    expect(server.requests.length).toBe(asked);
  });

  it('waits out 429 Retry-After, and leaves an unreachable source for the next run', async () => {
    let asked = 0;
    routes['/html/2506.01001'] = () =>
      ++asked === 1 ? { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' } : figurePage('x1.png');
    routes['/html/2506.01001/x1.png'] = { status: 200, body: PNG };
    routes['/html/2506.01002'] = { status: 500, body: 'broken' };
    const summary = await run();
    expect(sleeps).toContain(7000);
    expect(summary.found).toBe(1);
    expect(summary.failed).toBe(1);
    // The failed one is asked again next run; it now answers.
    routes['/html/2506.01002'] = figurePage('x1.png');
    routes['/html/2506.01002/x1.png'] = { status: 200, body: GIF };
    expect((await run()).found).toBe(1);
    expect((await site.server.inject({ url: '/figures/2506.01002' })).headers['content-type']).toBe('image/gif');
  });

  it("caches an organisation's avatar and the badge's route serves it", async () => {
    await upsertOrganizations(site.db, [
      { name: 'lumen', fullname: 'Lumen Vision Lab', avatarUrl: `${server.url}/avatars/lumen.png` },
    ]);
    routes['/avatars/lumen.png'] = { status: 200, headers: { 'content-type': 'image/png' }, body: PNG };
    // The generated avatar is served (and cached) first; the cached picture must replace it at once.
    expect((await site.server.inject({ url: '/org-avatars/lumen.svg' })).headers['content-type']).toMatch(/svg/);
    await run();
    // Served stale at most once while the refresh runs (the cache's bounded staleness), then the picture.
    expect((await getRefreshed(site, '/org-avatars/lumen.svg')).headers['content-type']).toBe('image/png');
    expect(server.requests.some((r) => r.path === '/avatars/lumen.png')).toBe(true);
    const after = await getRefreshed(site, '/org-avatars/lumen.svg');
    expect(after.headers['content-type']).toBe('image/png');
    expect(after.rawPayload.equals(PNG)).toBe(true);
    const day = await getRefreshed(site, '/papers/date/2025-06-11');
    expect(day.body).toContain('src="/org-avatars/lumen.svg"');
    expect(day.body).not.toMatch(/<img[^>]*\ssrc="https?:/);
  });
});

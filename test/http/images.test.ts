import { XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { categoryHue, fitLength, wrapWords } from '../../src/http/ui/cover.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { createTestSite, featurePapers, listPapers, paper, type TestSite } from '../helpers/site.js';

describe('cover text', () => {
  it('wraps words into lines and marks a cut with …', () => {
    expect(wrapWords('a bb ccc dddd', 6, 3)).toEqual(['a bb', 'ccc', 'dddd']);
    expect(wrapWords('a bb ccc dddd eeeee', 6, 2)).toEqual(['a bb', 'ccc…']);
    expect(wrapWords('Supercalifragilistic', 8, 2)).toEqual(['Superca…']);
    expect(wrapWords('', 8, 2)).toEqual([]);
  });
  it('squeezes only a line of wide letters that would overflow the cover', () => {
    expect(fitLength('When LLMs Read Tables', 56, 1056)).toBeNull();
    expect(fitLength('MMMMMMMMMMMMMMMMMMMMMMMMMMMM', 56, 1056)).toBe(1056);
  });
  it('gives the common categories their own hue and any other a stable one', () => {
    expect(categoryHue('cs.CV')).not.toBe(categoryHue('cs.CL'));
    expect(categoryHue('math.AP')).toBe(categoryHue('math.CO'));
    expect(categoryHue('nlin.AO')).toBe(categoryHue('nlin.AO'));
  });
});

describe.each(TEST_DIALECTS)('pictures on %s', (dialect) => {
  let site: TestSite;
  beforeEach(async () => {
    site = await createTestSite(dialect);
    const ids = await listPapers(site.db, '2025-06-11', [
      paper('2506.01001', { title: 'Seeing $\\alpha$-blends <script>alert(1)</script> & more', categories: ['cs.CV'] }),
      paper('hep-th/9504118', {
        title: 'Discrete Mathematics and Physics on the Planck-Scale',
        categories: ['hep-th'],
      }),
    ]);
    await featurePapers(site.db, '2025-06-11', [ids[0]], { org: { name: 'lumen', fullname: 'Lumen Vision Lab' } });
  });
  afterEach(async () => {
    await site.close();
  });

  it('serves a cover for every paper: well-formed SVG, escaped title, organisation, no script', async () => {
    const r = await site.server.inject({ url: '/covers/2506.01001.svg' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(XMLValidator.validate(r.body)).toBe(true);
    expect(r.body).not.toContain('<script>');
    expect(r.body).toContain('&lt;script&gt;');
    expect(r.body).toContain('Lumen Vision Lab');
    expect(r.body).toContain(`hsl(${categoryHue('cs.CV')} `);
    const old = await site.server.inject({ url: '/covers/hep-th/9504118.svg' });
    expect(old.statusCode).toBe(200);
    expect(old.body).toContain('Planck-Scale');
    expect(old.body).toContain('Ada Lovelace and 1 more');
    expect((await site.server.inject({ url: '/covers/2506.01001v2.svg' })).headers.location).toBe(
      '/covers/2506.01001.svg',
    );
    expect((await site.server.inject({ url: '/covers/2506.09999.svg' })).statusCode).toBe(404);
    expect((await site.server.inject({ url: '/covers/not-an-id.svg' })).statusCode).toBe(404);
  });

  it('puts the cover in every card and on the paper page, where it is also og:image', async () => {
    const home = await site.server.inject({ url: '/' });
    expect(home.body).toContain('<img src="/covers/2506.01001.svg"');
    const day = await site.server.inject({ url: '/papers/new/2025-06-11' });
    expect(day.body).toContain('<img src="/covers/hep-th/9504118.svg"');
    const p = await site.server.inject({ url: '/papers/2506.01001' });
    expect(p.body).toContain('class="paper-image"><img src="/covers/2506.01001.svg"');
    // og:image is the cover as PNG: link previews (chat apps, social sites) show no SVG.
    expect(p.body).toContain('<meta property="og:image" content="http://paperboy.test/covers/2506.01001.png">');
    // Organisations get a generated avatar, never a third-party image.
    expect(home.body).toContain('<img class="org-avatar" src="/org-avatars/lumen.svg"');
    const avatar = await site.server.inject({ url: '/org-avatars/lumen.svg' });
    expect(avatar.statusCode).toBe(200);
    expect(XMLValidator.validate(avatar.body)).toBe(true);
    expect(avatar.body).toContain('>LV</text>');
    expect((await site.server.inject({ url: '/org-avatars/nobody.svg' })).statusCode).toBe(404);
  });

  it('serves each cover as a 1200×630 PNG, for og:image', async () => {
    const a = await site.server.inject({ url: '/covers/2506.01001.png' });
    expect(a.statusCode).toBe(200);
    expect(a.headers['content-type']).toBe('image/png');
    const png = a.rawPayload;
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]); // IHDR width, height
    // Each paper its own picture, not one fixed image.
    const b = await site.server.inject({ url: '/covers/hep-th/9504118.png' });
    expect(b.statusCode).toBe(200);
    expect(b.rawPayload.equals(png)).toBe(false);
    expect((await site.server.inject({ url: '/covers/2506.01001v2.png' })).headers.location).toBe(
      '/covers/2506.01001.png',
    );
    expect((await site.server.inject({ url: '/covers/2506.09999.png' })).statusCode).toBe(404);
    expect((await site.server.inject({ url: '/covers/not-an-id.png' })).statusCode).toBe(404);
  });
});

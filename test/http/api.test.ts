import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../src/http/routes.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { createTestSite, type TestSite } from '../helpers/site.js';
import { HOSTILE, seedFixture } from '../helpers/site-fixture.js';

describe.each(TEST_DIALECTS)('JSON API and feeds on %s', (dialect) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await createTestSite(dialect);
    await seedFixture(site.db);
  });
  afterAll(async () => {
    await site.close();
  });
  const get = (url: string) => site.server.inject({ method: 'GET', url });
  const json = async (url: string) => {
    const r = await get(url);
    return { status: r.statusCode, body: r.json(), headers: r.headers };
  };

  it("returns a day in Hugging Face's shape, with both meanings of publishedAt", async () => {
    const { status, body } = await json('/api/daily_papers?date=2025-06-10');
    expect(status).toBe(200);
    expect(body.map((i: any) => i.paper.id)).toEqual(['2506.00002', '2506.00001', '2506.00004']);
    expect(body.map((i: any) => i.paper.upvotes)).toEqual([20, 5, 5]);
    const d = body[2];
    expect(d.paper.authors).toEqual([
      { _id: '2506.00004:0', name: 'Ada Lovelace', hidden: false },
      { _id: '2506.00004:1', name: 'Alan Turing', hidden: false },
    ]);
    expect(d.paper.githubRepo).toBe('https://github.com/meta/delta');
    expect(d.paper.organization).toEqual({ _id: 'meta', name: 'meta', fullname: 'meta' });
    expect(d.paper.publishedAt).toBe('2025-06-10T00:00:00.000Z'); // arXiv
    expect(d.publishedAt).toBe('2025-06-10T08:00:00.000Z'); // featured
    expect(d.paper.submittedOnDailyAt).toBe('2025-06-10T08:00:00.000Z');
    expect(d.title).toBe('Delta with code');
    expect(d.numComments).toBe(0);
    expect(Object.keys(d).sort()).toEqual([
      'isAuthorParticipating',
      'mediaUrls',
      'numComments',
      'organization',
      'paper',
      'publishedAt',
      'summary',
      'thumbnail',
      'title',
    ]);
  });

  it('lists every day newest first by default, and filters by submitter, week and month', async () => {
    // No date: the newest featured entries across days (the 11th, then the 10th in its own order).
    const latest = await json('/api/daily_papers');
    expect(latest.body.map((i: any) => i.paper.id)).toEqual(['2506.00006', '2506.00001', '2506.00002', '2506.00004']);
    const paged = await json('/api/daily_papers?limit=2&p=1');
    expect(paged.body.map((i: any) => i.paper.id)).toEqual(['2506.00002', '2506.00004']);
    const bySubmitter = await json('/api/daily_papers?submitter=akhaliq');
    expect(bySubmitter.body.map((i: any) => i.paper.id)).toEqual(['2506.00006']);
    expect(latest.body[0].submittedBy).toMatchObject({ name: 'akhaliq', fullname: 'akhaliq (full)' });
    expect(latest.body[0].organization).toMatchObject({ name: 'apple', fullname: 'Apple' });
    const week = await json('/api/daily_papers?week=2025-W24&submitter=akhaliq');
    expect(week.body.map((i: any) => i.paper.id)).toEqual(['2506.00006']);
    const month = await json('/api/daily_papers?month=2025-06&limit=2&p=1');
    expect(month.body.map((i: any) => i.paper.id)).toEqual(['2506.00001', '2506.00004']);
    const newest = await json('/api/daily_papers?month=2025-06&sort=publishedAt');
    expect(newest.body[0].paper.id).toBe('2506.00006');
    const trending = await json('/api/daily_papers?month=2025-06&sort=trending');
    expect(trending.body.map((i: any) => i.paper.id)).toEqual(['2506.00002', '2506.00006', '2506.00004', '2506.00001']);
  });

  it('answers invalid parameters with a 400 naming the parameter', async () => {
    for (const [url, parameter] of [
      ['/api/daily_papers?date=2025-02-30', 'date'],
      ['/api/daily_papers?week=2025-W60', 'week'],
      ['/api/daily_papers?month=2025-6', 'month'],
      ['/api/daily_papers?sort=votes', 'sort'],
      ['/api/daily_papers?limit=0', 'limit'],
      ['/api/daily_papers?limit=abc', 'limit'],
      ['/api/daily_papers?p=-1', 'p'],
      ['/api/daily_papers?date=2025-06-10&month=2025-06', 'month'],
      ['/api/papers/search?q=x&mode=fuzzy', 'mode'],
      ['/api/papers/search?limit=121', 'limit'],
      ['/api/papers/search?q=x&limit=0', 'limit'],
      ['/api/papers?cursor=garbage', 'cursor'],
    ]) {
      const r = await json(url);
      expect(r.status, url).toBe(400);
      expect(r.body.parameter, url).toBe(parameter);
      expect(r.body.error, url).toContain(parameter);
    }
    // Any id that names no paper is a 404 with a message, well-formed or not (huggingface_hub's paper_info).
    for (const id of ['2506.99999', 'nope', '1234.56789', 'hep-th/0000000']) {
      const missing = await json(`/api/papers/${id}`);
      expect(missing.status, id).toBe(404);
      expect(missing.body.error, id).toMatch(/not found/);
    }
    expect((await json('/api/nothing')).status).toBe(404);
  });

  it('serves one paper, search results and a cursor-paged list of every paper', async () => {
    const one = await json('/api/papers/arXiv:2506.00006v2');
    expect(one.body).toMatchObject({ id: '2506.00006', title: 'Epsilon from Apple', upvotes: 7 });
    expect(one.body.organization.name).toBe('apple');
    const found = await json('/api/papers/search?q=sparse&limit=10');
    expect(
      found.body
        .slice(0, 2)
        .map((i: any) => i.paper.id)
        .sort(),
    ).toEqual(['2506.00001', '2506.00004']);
    // Keyword mode returns only the papers that contain the word (hybrid adds related ones).
    const exact = await json('/api/papers/search?q=sparse&limit=10&mode=keyword');
    expect(exact.body.map((i: any) => i.paper.id).sort()).toEqual(['2506.00001', '2506.00004']);
    const seen: string[] = [];
    let url: string | null = '/api/papers?limit=4';
    while (url) {
      const r = await json(url);
      seen.push(...r.body.map((i: any) => i.paper.id));
      const link = r.headers.link as string | undefined;
      url = link ? /<([^>]+)>; rel="next"/.exec(link)![1] : null;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen.slice(0, 2).sort()).toEqual(['2506.00006', '2506.00007']);
  });

  it('describes itself in OpenAPI', async () => {
    const { status, body } = await json('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    // Every API row of the route table is in the document, with its method.
    for (const r of routes.filter((x) => x.path.startsWith('/api/'))) {
      const p = r.path
        .replace(':paper', '{id}')
        .replace('*', '{id}')
        .replace(/:(\w+)/g, '{$1}');
      expect(body.paths[p]?.[r.method.toLowerCase()], `${r.method} ${p}`).toBeDefined();
    }
    expect(body.paths['/papers/{id}.md'].get.responses['200'].content['text/markdown']).toBeDefined();
    expect(body.paths['/api/papers/search'].get.parameters.find((p: any) => p.name === 'q').required).toBe(false);
    expect(body.paths['/api/papers/search'].get.parameters.find((p: any) => p.name === 'limit').schema.maximum).toBe(
      120,
    );
    expect(body.paths['/api/daily_papers'].get.description).toContain('Friday before its ISO Monday');
    expect(Object.keys(body.paths).sort()).toEqual(
      expect.arrayContaining(['/api/daily_papers', '/api/papers', '/api/papers/search', '/api/papers/{id}']),
    );
    // The community's write endpoints share the document (and /api/daily_papers gains POST beside GET).
    expect(Object.keys(body.paths['/api/daily_papers']).sort()).toEqual(['get', 'post']);
    expect(body.paths['/api/daily_papers'].get.parameters.map((p: any) => p.name)).toEqual([
      'date',
      'week',
      'month',
      'submitter',
      'sort',
      'p',
      'limit',
    ]);
  });

  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    isArray: (_name, jpath) =>
      ['rss.channel.item', 'feed.entry', 'feed.entry.author', 'feed.link'].includes(String(jpath)),
  });

  it('publishes RSS 2.0 and Atom feeds for the daily list, trending, a search and an organisation', async () => {
    for (const url of [
      '/feeds/daily.xml',
      '/feeds/daily.atom',
      '/feeds/trending.xml',
      '/feeds/trending.atom',
      '/feeds/search.xml?q=hostile',
      '/feeds/orgs/apple.xml',
    ]) {
      expect(XMLValidator.validate((await get(url)).body), url).toBe(true);
    }
    const rss = await get('/feeds/daily.xml');
    expect(rss.headers['content-type']).toContain('application/rss+xml');
    const doc = parser.parse(rss.body);
    expect(doc.rss['@_version']).toBe('2.0');
    expect(doc.rss.channel.item.map((i: any) => i.title)).toEqual(['Epsilon from Apple']);
    expect(doc.rss.channel.item[0].link).toBe('http://paperboy.test/papers/2506.00006');
    expect(doc.rss.channel.item[0].guid['@_isPermaLink']).toBe('true');
    expect(new Date(doc.rss.channel.item[0].pubDate).toISOString()).toBe('2025-06-11T08:00:00.000Z');
    expect(doc.rss.channel['atom:link']['@_href']).toBe('http://paperboy.test/feeds/daily.xml');

    const atom = parser.parse((await get('/feeds/daily.atom')).body);
    expect(atom.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(atom.feed.entry[0].id).toBe('http://paperboy.test/papers/2506.00006');
    expect(atom.feed.entry[0].author.map((a: any) => a.name)).toEqual(['Ada Lovelace', 'Alan Turing']);
    expect(atom.feed.link.find((l: any) => l['@_rel'] === 'self')['@_href']).toBe(
      'http://paperboy.test/feeds/daily.atom',
    );

    const search = parser.parse((await get('/feeds/search.xml?q=sparse&code=1')).body);
    expect(search.rss.channel.item.map((i: any) => i.title)).toEqual(['Delta with code']);
    const searchAtom = parser.parse((await get('/feeds/search.atom?q=sparse&mode=keyword')).body);
    expect(searchAtom.feed.entry).toHaveLength(2);
    const org = parser.parse((await get('/feeds/orgs/apple.atom')).body);
    expect(org.feed.title).toBe('Apple papers');
    const trending = parser.parse((await get('/feeds/trending.xml')).body);
    expect(trending.rss.channel.item.length).toBeGreaterThan(0);
    expect((await get('/feeds/search.xml')).statusCode).toBe(400);
    expect((await get('/feeds/orgs/nobody.xml')).statusCode).toBe(404);
    expect((await get('/feeds/orgs/apple.json')).statusCode).toBe(404);
  });

  it('escapes hostile text in feeds', async () => {
    const r = await get('/feeds/search.xml?q=hostile');
    expect(r.body).not.toContain('<script>');
    const doc = parser.parse(r.body);
    expect(doc.rss.channel.item[0].title).toBe(`Hostile ${HOSTILE}`);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ArxivClient, fetchPaperById } from '../../src/ingest/atom/client.js';
import { ArxivApiError, atomEntryToRecord, parseAtomFeed, unwrapRecording } from '../../src/ingest/atom/parse.js';
import { atomSource } from '../../src/ingest/atom/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { findPaperByArxivId } from '../../src/store/paper-store.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { canonicalQuery, type ReplayServer, startReplayServer } from '../helpers/replay-server.js';
import { SHARED_DATA, sharedDataMissing, titleOrSkipped } from '../helpers/shared.js';

// Every test here reads arXiv's recorded API answers in ../shared/data: without it, all are skipped.
const MISSING = sharedDataMissing('arxiv-api-atom');
const WRAPPED = path.join(SHARED_DATA, 'arxiv-api-atom', 'json-wrapped-2026');
const RAW = path.join(SHARED_DATA, 'arxiv-api-atom', 'raw-xml-2016');
const listed = (dir: string) => (MISSING ? [] : fs.readdirSync(dir));
const wrappedFiles = listed(WRAPPED)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => path.join(WRAPPED, f));
const rawFiles = listed(RAW)
  .filter((f) => f.endsWith('.xml'))
  .sort()
  .map((f) => path.join(RAW, f));
const wrapped = (prefix: string) => {
  const f = wrappedFiles.find((x) => path.basename(x).startsWith(prefix));
  if (!f) throw new Error(`no recording ${prefix}`);
  return unwrapRecording(fs.readFileSync(f, 'utf8'));
};

/** Independent of the parser: the paper ids in a body, by regular expression. */
function idsInBody(body: string): string[] {
  return [...body.matchAll(/<id>https?:\/\/arxiv\.org\/abs\/([^<]+?)(?:v\d+)?<\/id>/g)].map((m) => m[1]);
}

describe.skipIf(MISSING !== null)(titleOrSkipped('Atom parsing of every recorded response', MISSING), () => {
  it('reads each json-wrapped 2026 recording: totals, entries, and the abc error', () => {
    for (const f of wrappedFiles) {
      const { body, status } = unwrapRecording(fs.readFileSync(f, 'utf8'));
      if (status !== 200) {
        expect(() => parseAtomFeed(body, status)).toThrow(ArxivApiError);
        continue;
      }
      const feed = parseAtomFeed(body, status);
      expect(
        feed.entries.map((e) => e.arxivId),
        path.basename(f),
      ).toEqual(idsInBody(body));
      expect(feed.totalResults).toBe(Number(/totalResults>(\d+)</.exec(body)![1]));
      for (const e of feed.entries) {
        expect(e.title.length).toBeGreaterThan(0);
        expect(e.authors.length).toBeGreaterThan(0);
        expect(e.categories[0]).toBe(e.primaryCategory);
        expect(e.published).toMatch(/^\d{4}-\d\d-\d\dT/);
      }
    }
  });

  it('turns the abc 400 into a clear error, not a paper', () => {
    const { body, status } = wrapped('id_abc_');
    expect(status).toBe(400);
    expect(() => parseAtomFeed(body, status)).toThrow(/arXiv API error \(HTTP 400\): incorrect id format for abc/);
    // Even without the status (a raw body), the error entry is recognised.
    expect(() => parseAtomFeed(body)).toThrow(/incorrect id format for abc/);
  });

  it('finds zero results for an unknown id', () => {
    const { body, status } = wrapped('id_0000.0000_');
    const feed = parseAtomFeed(body, status);
    expect(feed.totalResults).toBe(0);
    expect(feed.entries).toEqual([]);
  });

  it('reads old-style ids with affiliations, journal-ref, versions', () => {
    const astro = parseAtomFeed(wrapped('id_astro-ph_0601001').body).entries[0];
    expect(astro.arxivId).toBe('astro-ph/0601001');
    expect(astro.version).toBe(1);
    expect(astro.journalRef).toBe('ActaAstron.56:1-50,2006');
    expect(astro.authors[0]).toEqual({ name: 'Andrew Gould', affiliations: ['Ohio State'] });
    expect(astro.comment).toMatch(/^62 pages including 16 figures/);
    const quant = parseAtomFeed(wrapped('id_quant-ph_0201082v1').body).entries[0];
    expect(quant.arxivId).toBe('quant-ph/0201082');
    expect(quant.categories).toEqual(['quant-ph', 'cs.PL']);
    expect(quant.links.find((l) => l.title === 'pdf')?.href).toBe('https://arxiv.org/pdf/quant-ph/0201082v1');
  });

  it('reads the 2016 raw XML: DOI, journal-ref, version 2, dates, opensearch totals', () => {
    const feed = parseAtomFeed(fs.readFileSync(path.join(RAW, 'query1.xml'), 'utf8'));
    expect(feed.totalResults).toBe(1);
    const e = feed.entries[0];
    expect(e).toMatchObject({
      arxivId: '1111.2011',
      version: 2,
      doi: '10.1103/PhysRevB.85.115117',
      journalRef: 'Phys. Rev. B 85, 115117 (2012)',
      comment: '8 pages, 3 figures. Published version',
      published: '2011-11-08T18:48:36.000Z',
      updated: '2012-04-02T12:38:54.000Z',
      categories: ['cond-mat.str-el', 'cond-mat.stat-mech'],
      title: 'Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit',
    });
    expect(e.authors.map((a) => a.name)).toEqual(['James M. Murray', 'Adrian Del Maestro', 'Zlatko Tesanovic']);
    const rec = atomEntryToRecord(e);
    expect(rec).toMatchObject({
      version: 2,
      publishedAt: '2011-11-08T18:48:36.000Z',
      updatedAt: '2012-04-02T12:38:54.000Z',
    });
    for (const f of rawFiles) {
      const body = fs.readFileSync(f, 'utf8');
      const parsed = parseAtomFeed(body);
      expect(
        parsed.entries.map((x) => x.arxivId),
        path.basename(f),
      ).toEqual(idsInBody(body));
      expect(parsed.totalResults).toBeGreaterThanOrEqual(parsed.entries.length);
    }
  });
});

describe.skipIf(MISSING !== null)(
  titleOrSkipped('arXiv API client over real HTTP, replaying the recordings', MISSING),
  () => {
    let server: ReplayServer;
    const DELAY_MS = 40;
    beforeAll(async () => {
      const byQuery = new Map<string, { status: number; body: string }>();
      for (const f of wrappedFiles) {
        const r = unwrapRecording(fs.readFileSync(f, 'utf8'));
        byQuery.set(canonicalQuery(r.url!), { status: r.status!, body: r.body });
      }
      server = await startReplayServer(
        (p) => byQuery.get(canonicalQuery(p)) ?? { status: 404, body: `no recording for ${p}` },
      );
    });
    afterAll(async () => {
      await server.close();
    });
    const client = () => new ArxivClient({ baseUrl: `${server.url}/api/query`, delayMs: DELAY_MS });

    it('looks up new-style, old-style, versioned and several ids', async () => {
      const c = client();
      expect((await c.lookupIds(['astro-ph/0601001'])).map((e) => e.arxivId)).toEqual(['astro-ph/0601001']);
      expect((await c.lookupIds(['quant-ph/0201082v1']))[0].version).toBe(1);
      expect((await c.lookupIds(['2104.12255v1']))[0].arxivId).toBe('2104.12255');
      expect((await c.lookupIds(['0808.05394', '1707.08567'])).map((e) => e.arxivId)).toEqual(['1707.08567']);
      expect(await c.lookupIds(['0000.0000'])).toEqual([]);
      await expect(c.lookupIds(['abc'])).rejects.toThrow(/incorrect id format for abc/);
    });

    it('pages a search by opensearch totals, pausing between requests', async () => {
      const before = server.requests.length;
      const r = await client().search('testing', { start: 0, maxResults: 60, pageSize: 10 });
      const seen = server.requests.slice(before);
      expect(seen.map((q) => new URL(q.path, 'http://x').searchParams.get('start'))).toEqual([
        '0',
        '10',
        '20',
        '30',
        '40',
        '50',
      ]);
      expect(r.totalResults).toBe(214881);
      expect(r.entries).toHaveLength(60);
      // Pages are disjoint slices of one ranking, except where arXiv's ranking shifted between calls.
      expect(new Set(r.entries.map((e) => e.arxivId)).size).toBeGreaterThan(50);
      // Six requests, five pauses between them (arrival times jitter a little: a loose lower bound).
      expect(seen[seen.length - 1].at - seen[0].at).toBeGreaterThanOrEqual(4 * DELAY_MS);
      // An odd start and page size use the recorded s5/s9 pages.
      const odd = await client().search('testing', { start: 5, maxResults: 15, pageSize: 15 });
      expect(odd.entries.map((e) => e.arxivId)).toEqual(
        parseAtomFeed(wrapped('q_testing_s5_m15').body).entries.map((e) => e.arxivId),
      );
    });

    it('fetchPaperById returns a PaperRecord, or null for an unknown or malformed id', async () => {
      const opts = { baseUrl: `${server.url}/api/query`, delayMs: 0 };
      const rec = await fetchPaperById('https://arxiv.org/abs/astro-ph/0601001', opts);
      expect(rec).toMatchObject({
        arxivId: 'astro-ph/0601001',
        version: 1,
        journalRef: 'ActaAstron.56:1-50,2006',
        categories: ['astro-ph'],
      });
      expect(await fetchPaperById('1605.08386', opts)).toMatchObject({ arxivId: '1605.08386' });
      const before = server.requests.length;
      expect(await fetchPaperById('abc', opts)).toBeNull();
      expect(server.requests.length).toBe(before);
    });
  },
);

describe.skipIf(MISSING !== null).each(TEST_DIALECTS)(titleOrSkipped('atom import on %s', MISSING), (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('imports every recording, reports the abc error with its file, and re-imports unchanged', async () => {
    const files = [...wrappedFiles, ...rawFiles];
    const entries = files.flatMap((f) => {
      const { body, status } = unwrapRecording(fs.readFileSync(f, 'utf8'));
      return status === 400 ? [] : idsInBody(body);
    });
    const first = await runImport(db, atomSource, files);
    expect(first.read).toBe(entries.length + 1);
    expect(first.rejected).toBe(1);
    expect(path.basename(first.rejects[0].file)).toMatch(/^id_abc_/);
    expect(first.rejects[0].line).toBe(0);
    expect(first.rejects[0].reason).toMatch(/incorrect id format for abc/);
    expect(first.inserted).toBe(new Set(entries).size);
    expect(first.inserted + first.updated + first.unchanged).toBe(entries.length);
    const second = await runImport(db, atomSource, files);
    expect(second.inserted + second.updated).toBe(0);
    expect(second.unchanged).toBe(entries.length);

    // A feed with one unreadable entry among good ones: that entry is rejected by number, the rest go in.
    const raw = fs.readFileSync(path.join(RAW, 'query1.xml'), 'utf8');
    const broken = raw.replace(
      '</feed>',
      raw.slice(raw.indexOf('<entry>'), raw.indexOf('</entry>') + 8).replace('1111.2011v2</id>', 'not-a-paper</id>') +
        '</feed>',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-atom-'));
    fs.writeFileSync(path.join(dir, 'broken.xml'), broken);
    fs.writeFileSync(path.join(dir, 'html.xml'), '<html><body>Service Unavailable</body></html>');
    const third = await runImport(db, atomSource, [path.join(dir, 'broken.xml'), path.join(dir, 'html.xml')]);
    expect(third.rejects.map((r) => [path.basename(r.file), r.line])).toEqual([
      ['broken.xml', 2],
      ['html.xml', 0],
    ]);
    expect(third.rejects[0].reason).toMatch(/entry 2: not an arXiv id: "http:\/\/arxiv.org\/abs\/not-a-paper"/);
    expect(third.rejects[1].reason).toMatch(/not an Atom feed/);
    expect(third.unchanged).toBe(1);
    fs.rmSync(dir, { recursive: true, force: true });

    const p = await findPaperByArxivId(db, '1111.2011');
    expect(p).toMatchObject({
      version: 2,
      doi: '10.1103/PhysRevB.85.115117',
      primary_category: 'cond-mat.str-el',
      published_at: '2011-11-08T18:48:36.000Z',
    });
    const old = await findPaperByArxivId(db, 'astro-ph/0601001');
    expect(JSON.parse(old!.authors)).toHaveLength(4);
  });
});

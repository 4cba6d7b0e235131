import fs from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { harvestKey, harvestOai, listPages } from '../../src/ingest/oai/harvester.js';
import { type ArxivMetadata, OaiError, oaiRecordToPaper, parseOaiResponse } from '../../src/ingest/oai/parse.js';
import { PoliteHttp } from '../../src/ingest/polite-http.js';
import { getHarvestState, saveHarvestState } from '../../src/store/harvest-store.js';
import { countPapers, findPaperByArxivId } from '../../src/store/paper-store.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { type ReplayServer, type Reply, startReplayServer } from '../helpers/replay-server.js';
import { sharedDataMissing, sharedPath, titleOrSkipped } from '../helpers/shared.js';

interface Exchange {
  path: string;
  status: number;
  response: string;
  rawHeaders: string[];
}
const load = (name: string): Exchange[] =>
  JSON.parse(fs.readFileSync(sharedPath('arxiv-oai-pmh', `oaipmh-${name}.json`), 'utf8'));
const headersOf = (x: Exchange) => {
  const h: Record<string, string> = {};
  for (let i = 0; i < x.rawHeaders.length; i += 2) {
    const k = x.rawHeaders[i].toLowerCase();
    if (!['transfer-encoding', 'content-length', 'connection', 'date', 'server', 'vary'].includes(k))
      h[k] = x.rawHeaders[i + 1];
  }
  return h;
};
const reply = (x: Exchange): Reply => ({ status: x.status, headers: headersOf(x), body: x.response });
const query = (p: string) => new URL(p, 'http://x').searchParams;

// The recordings of arXiv's OAI-PMH server (../shared/data) are read by the first block only; the
// harvest runs on a synthetic ListRecords page in arXiv's format (CC0 arXiv metadata), in the repository.
const MISSING = sharedDataMissing('arxiv-oai-pmh');
const ok = fs.readFileSync(new URL('../fixtures/oai/listrecords-arxiv.xml', import.meta.url), 'utf8');
/** arXiv's answer while busy, as recorded: 503, Retry-After in seconds, an HTML body. */
const busy = {
  status: 503,
  headers: { 'retry-after': '10', 'content-type': 'text/html' },
  body: '<html><body>\n<h1>Retry after 10 seconds</h1>\n</body></html>\n',
} satisfies Reply;
const envelope = ok.slice(0, ok.indexOf('<ListRecords>') + '<ListRecords>\n'.length);
const realRecords = ok.match(/<record>[\s\S]*?<\/record>\n/g)!;
const oaiError = (code: string, msg: string) =>
  `${ok.slice(0, ok.indexOf('<ListRecords>'))}<error code="${code}">${msg}</error>\n</OAI-PMH>\n`;

/**
 * A three-page ListRecords built from the fixture's records and envelope: page 1 and 2 carry one real record each, page 3 a deleted record of page 2's paper,
 * a deleted record we never saw, and a record whose title was cut out.
 */
function page(records: string[], token: string | null, cursor: number): string {
  const rt = `<resumptionToken cursor="${cursor}" completeListSize="5">${token ?? ''}</resumptionToken>\n`;
  return `${envelope}${records.join('')}${rt}</ListRecords>\n</OAI-PMH>\n`;
}
const deleted = (id: string) =>
  `<record>\n<header status="deleted">\n <identifier>oai:arXiv.org:${id}</identifier>\n <datestamp>2015-01-03</datestamp>\n</header>\n</record>\n`;
const pages = {
  first: page([realRecords[0]], '6960524|1001', 0),
  second: page([realRecords[1]], '6960524|2001', 1),
  third: page(
    [deleted('hep-th/9504118'), deleted('0705.4175'), realRecords[0].replace(/<title>[\s\S]*?<\/title>/, '')],
    null,
    2,
  ),
};

describe.skipIf(MISSING !== null)(titleOrSkipped('OAI-PMH parsing of the recorded responses', MISSING), () => {
  let listRecords: Exchange[]; // [503, 200]
  beforeAll(() => {
    listRecords = load('listrecords---should-list-identifiers-from-arxiv');
  });
  it('reads ListRecords in the arXiv format: authors, dates, DOI, journal-ref, licence, old-style ids', () => {
    const p = parseOaiResponse(listRecords[1].response);
    expect(p.error).toBeNull();
    expect(p.resumptionToken).toBeNull();
    expect(p.records.map((r) => r.header.identifier)).toEqual([
      'oai:arXiv.org:1412.8544',
      'oai:arXiv.org:hep-th/9504118',
    ]);
    const rec = oaiRecordToPaper(p.records[0].metadata as ArxivMetadata, p.records[0].header.datestamp);
    expect(rec).toMatchObject({
      arxivId: '1412.8544',
      title: 'A Kochen-Specker system has at least 22 vectors (extended abstract)',
      authors: ['Sander Uijlen', 'Bas Westerbaan'],
      categories: ['cs.DM'],
      doi: '10.4204/EPTCS.172.11',
      journalRef: 'EPTCS 172, 2014, pp. 154-164',
      license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
      publishedAt: '2014-12-29T00:00:00.000Z',
      observedAt: '2015-01-03T00:00:00.000Z',
    });
    expect((p.records[0].metadata as ArxivMetadata).authors[0].affiliations).toEqual(['Radboud Universiteit']);
    const old = oaiRecordToPaper(p.records[1].metadata as ArxivMetadata, '2015-01-03');
    expect(old).toMatchObject({ arxivId: 'hep-th/9504118', authors: ['M. Requardt'], comment: '21 pages, Latex' });
    expect(old.abstract).toMatch(/the "strength" of the bonds/);
  });

  it('reads every other recording without error', () => {
    const get = parseOaiResponse(load('getrecord---should-get-a-record')[0].response);
    expect(get.records[0].header).toMatchObject({
      identifier: 'oai:arXiv.org:1412.8544',
      sets: ['cs'],
      deleted: false,
    });
    const ids = parseOaiResponse(load('listidentifiers---should-list-identifiers-from-arxiv')[0].response);
    expect(ids.headers.length).toBe(
      (load('listidentifiers---should-list-identifiers-from-arxiv')[0].response.match(/<header>/g) ?? []).length,
    );
    expect(ids.headers.at(-1)!.sets).toEqual(['physics:gr-qc', 'physics:hep-th', 'physics:quant-ph']);
    for (const n of [
      'identify---should-identify-arxiv',
      'listsets---should-list-arxiv-sets',
      'listmetadataformats---should-list-metadata-formats-for-arxiv',
    ]) {
      expect(parseOaiResponse(load(n)[0].response).error, n).toBeNull();
    }
    expect(() => parseOaiResponse(listRecords[0].response)).toThrow(/not an OAI-PMH document/);
    expect(() => parseOaiResponse(busy.body)).toThrow(/not an OAI-PMH document/);
    expect(parseOaiResponse(oaiError('badResumptionToken', 'gone')).error).toEqual({
      code: 'badResumptionToken',
      message: 'gone',
    });
  });

  it('follows real resumption tokens to the end of a list (completeListSize 154)', async () => {
    for (const name of [
      'listidentifiers---should-list-identifiers-with-resumption-token-from-gulbenkian',
      'listidentifiers---should-list-identifiers-with-resumption-token-from-exlibris',
    ]) {
      const ex = load(name);
      const server = await startReplayServer((p) => {
        const hit = ex.find(
          (x) =>
            x.path.endsWith(p.slice(p.indexOf('?'))) ||
            query(x.path).get('resumptionToken') === query(p).get('resumptionToken'),
        );
        return hit ? reply(hit) : { status: 404, body: 'no recording' };
      });
      const http = new PoliteHttp({ delayMs: 0 });
      const first = query(ex[0].path);
      const got: number[] = [];
      for await (const pg of listPages(http, `${server.url}/request`, 'ListIdentifiers', {
        metadataPrefix: first.get('metadataPrefix')!,
        from: first.get('from'),
        until: first.get('until'),
        set: first.get('set'),
      })) {
        got.push(pg.headers.length);
      }
      expect(server.requests).toHaveLength(2);
      expect(got).toEqual(ex.map((x) => (x.response.match(/<header[ >]/g) ?? []).length));
      if (name.includes('gulbenkian')) expect(got[0] + got[1]).toBe(154);
      await server.close();
    }
  });
});

describe.each(TEST_DIALECTS)('OAI-PMH harvest on %s', (dialect) => {
  let db: TestDb;
  let server: ReplayServer | null = null;
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  beforeEach(async () => {
    db = await createTestDb(dialect);
    sleeps.length = 0;
  });
  afterEach(async () => {
    await server?.close();
    server = null;
    await db.drop();
  });

  it('waits out a 503 Retry-After, harvests, then goes on incrementally from the datestamp', async () => {
    let n503 = 0;
    server = await startReplayServer((p) => {
      const q = query(p);
      if (q.get('from') === '2015-01-01') return n503++ === 0 ? busy : { status: 200, body: ok };
      if (q.get('from') === '2015-01-03') return { status: 200, body: oaiError('noRecordsMatch', 'No records match') };
      return { status: 400, body: 'unexpected request' };
    });
    const s = await harvestOai(db, {
      baseUrl: `${server.url}/oai2`,
      from: '2015-01-01',
      until: '2015-01-03',
      sleep,
      delayMs: 1,
    });
    expect(s).toMatchObject({ pages: 1, read: 2, inserted: 2, rejected: 0, resumed: false, nextFrom: '2015-01-03' });
    expect(sleeps).toContain(10_000);
    // The same request twice: once answered 503, once 200.
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].path).toBe(server.requests[0].path);
    expect(query(server.requests[0].path).get('verb')).toBe('ListRecords');
    expect(query(server.requests[0].path).get('metadataPrefix')).toBe('arXiv');
    expect(await getHarvestState(db, harvestKey())).toMatchObject({ datestamp: '2015-01-03', resumption_token: null });
    expect((await findPaperByArxivId(db, 'hep-th/9504118'))?.title).toBe(
      'Discrete Mathematics and Physics on the Planck-Scale',
    );

    const next = await harvestOai(db, { baseUrl: `${server.url}/oai2`, sleep, delayMs: 1 });
    expect(query(server.requests.at(-1)!.path).get('from')).toBe('2015-01-03');
    expect(next).toMatchObject({ pages: 1, read: 0, inserted: 0 });
  });

  it('resumes from the saved token after the connection drops mid-harvest, with exact counts', async () => {
    let crash = true;
    server = await startReplayServer((p) => {
      const token = query(p).get('resumptionToken');
      if (!token) return { status: 200, body: pages.first };
      if (token === '6960524|1001') return crash ? 'drop' : { status: 200, body: pages.second };
      if (token === '6960524|2001') return { status: 200, body: pages.third };
      return { status: 200, body: oaiError('badResumptionToken', 'unknown token') };
    });
    const opts = {
      baseUrl: `${server.url}/oai2`,
      from: '2015-01-01',
      until: '2015-01-03',
      sleep,
      delayMs: 1,
      maxRetries: 2,
    };
    await expect(harvestOai(db, opts)).rejects.toThrow(/failed after 3 attempts/);
    expect(await countPapers(db)).toBe(1);
    expect(await getHarvestState(db, harvestKey())).toMatchObject({
      resumption_token: '6960524|1001',
      run_from: '2015-01-01',
      datestamp: null,
    });

    crash = false;
    const before = server.requests.length;
    const s = await harvestOai(db, { baseUrl: opts.baseUrl, sleep, delayMs: 1 });
    expect(query(server.requests[before].path).get('resumptionToken')).toBe('6960524|1001');
    expect(s).toMatchObject({
      resumed: true,
      pages: 2,
      read: 4,
      inserted: 1,
      updated: 1,
      deleted: 2,
      rejected: 1,
      nextFrom: '2015-01-03',
    });
    expect(s.rejects[0].file).toMatch(/resumptionToken=6960524%7C2001/);
    expect(s.rejects[0].line).toBe(3);
    expect(s.rejects[0].reason).toMatch(/oai:arXiv.org:1412.8544: 1412.8544: metadata has no title/);
    expect(await countPapers(db)).toBe(2);
    expect((await findPaperByArxivId(db, 'hep-th/9504118'))?.withdrawn).toBe(1);
    expect(await findPaperByArxivId(db, '0705.4175')).toBeUndefined();
    expect(await getHarvestState(db, harvestKey())).toMatchObject({ resumption_token: null, datestamp: '2015-01-03' });
  });

  it('reports OAI errors clearly, and forgets an expired resumption token', async () => {
    server = await startReplayServer((p) =>
      query(p).get('resumptionToken')
        ? {
            status: 200,
            body: oaiError('badResumptionToken', 'The value of the resumptionToken argument is invalid or expired.'),
          }
        : { status: 200, body: oaiError('badArgument', 'Illegal set') },
    );
    await saveHarvestState(db, harvestKey(), {
      datestamp: '2015-01-01',
      resumption_token: 'stale|1',
      run_from: '2015-01-01',
      run_until: null,
    });
    await expect(harvestOai(db, { baseUrl: server.url, sleep, delayMs: 1 })).rejects.toThrow(
      /badResumptionToken.*expired.*run the harvest again to restart from 2015-01-01/,
    );
    expect(await getHarvestState(db, harvestKey())).toMatchObject({ resumption_token: null, datestamp: '2015-01-01' });
    await expect(harvestOai(db, { baseUrl: server.url, set: 'nope', sleep, delayMs: 1 })).rejects.toThrow(
      /OAI-PMH error badArgument: Illegal set/,
    );
    await expect(harvestOai(db, { baseUrl: server.url, from: '2015-13-45' })).rejects.toThrow(OaiError);
    await expect(harvestOai(db, { baseUrl: server.url, from: 'yesterday' })).rejects.toThrow(
      /--from must be a date like 2025-01-31/,
    );
  });
});

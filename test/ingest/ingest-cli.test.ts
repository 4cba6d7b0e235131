import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { type ReplayServer, startReplayServer } from '../helpers/replay-server.js';
import { runCli } from '../helpers/run-cli.js';
import { sharedDataMissing, sharedPath, titleOrSkipped } from '../helpers/shared.js';

// Hugging Face's recorded days and arXiv's recorded Atom answers live in ../shared/data (never
// committed): the import test needs them; the harvest test runs on a fixture in the repository.
const MISSING = sharedDataMissing('hf-daily') ?? sharedDataMissing('arxiv-api-atom');

let tmp: string;
let days: string[];
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-cli-'));
  if (MISSING) return;
  // Three real days: a Python-repr day, the wrapped day, a recent day; plus one broken file.
  execFileSync('tar', [
    '--zstd',
    '-xf',
    sharedPath('hf-daily', 'hf-daily-2024-05-27_2025-12-31.tar.zst'),
    '-C',
    tmp,
    'hf-daily/2024-12-20.json',
    'hf-daily/2025-01-10.json',
    'hf-daily/2025-10-15.json',
  ]);
  days = ['2024-12-20', '2025-01-10', '2025-10-15'].map((d) => path.join(tmp, 'hf-daily', `${d}.json`));
  fs.writeFileSync(path.join(tmp, '2025-10-16.json'), '[1]');
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(TEST_DIALECTS)('ingestion CLI on %s', (dialect) => {
  let db: TestDb;
  let server: ReplayServer | null = null;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await server?.close();
    server = null;
    await db.drop();
  });

  it.skipIf(MISSING !== null)(
    titleOrSkipped('import hf-daily and atom: summary, rejects with place and reason, exit code', MISSING),
    async () => {
      const bad = path.join(tmp, '2025-10-16.json');
      const r = await runCli(['import', 'hf-daily', ...days, bad, '--quiet'], db.env);
      const items = days.reduce((n, f) => {
        const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
        return n + (Array.isArray(doc) ? doc : doc.data).length;
      }, 0);
      expect(r.stdout.trim()).toBe(`read ${items + 1}, inserted ${items}, updated 0, unchanged 0, rejected 1`);
      expect(r.stderr).toContain(`rejected ${bad}:1: item is number, not an object`);
      expect(r.code).toBe(1);

      const again = await runCli(['import', 'hf-daily', ...days, '--json'], db.env);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({
        read: items,
        inserted: 0,
        updated: 0,
        unchanged: items,
        rejected: 0,
      });

      const dir = sharedPath('arxiv-api-atom', 'json-wrapped-2026');
      const files = ['id_abc_s0_m100_b79c8dcf6bc3.json', 'id_astro-ph_0601001_s0_m100_3150dca9dc76.json'].map((f) =>
        path.join(dir, f),
      );
      const atom = await runCli(
        ['import', 'atom', ...files, path.join(sharedPath('arxiv-api-atom', 'raw-xml-2016'), 'query1.xml'), '--quiet'],
        db.env,
      );
      expect(atom.stdout.trim()).toBe('read 3, inserted 2, updated 0, unchanged 0, rejected 1');
      expect(atom.stderr).toContain(`rejected ${files[0]}:0: arXiv API error (HTTP 400): incorrect id format for abc`);
      expect(atom.code).toBe(1);
    },
  );

  it('harvest oai: progress, summary, and the next run starts where this one ended', async () => {
    // A ListRecords answer in arXiv's format (synthetic, CC0 arXiv metadata).
    const ok = { response: fs.readFileSync(new URL('../fixtures/oai/listrecords-arxiv.xml', import.meta.url), 'utf8') };
    const noMatch =
      ok.response.slice(0, ok.response.indexOf('<ListRecords>')) +
      '<error code="noRecordsMatch">none</error>\n</OAI-PMH>\n';
    server = await startReplayServer((p) => ({
      status: 200,
      body: new URL(p, 'http://x').searchParams.get('from') === '2015-01-01' ? ok.response : noMatch,
    }));
    const url = `${server.url}/oai2`;
    const r = await runCli(['harvest', 'oai', '--url', url, '--from', '2015-01-01', '--until', '2015-01-03'], db.env);
    expect(r.stderr).toContain('harvest oai: page 1, read 2, inserted 2');
    expect(r.stdout.trim()).toBe(
      'pages 1, read 2, inserted 2, updated 0, unchanged 0, deleted 0, rejected 0; next harvest starts from 2015-01-03',
    );
    expect(r.code).toBe(0);
    const next = await runCli(['harvest', 'oai', '--url', url, '--json'], db.env);
    // Open-ended this time: the next run starts from the day the server answered (its responseDate).
    expect(JSON.parse(next.stdout)).toMatchObject({ from: '2015-01-03', until: null, read: 0, nextFrom: '2018-06-21' });
    const bad = await runCli(['harvest', 'oai', '--url', url, '--from', '2015/01/01'], db.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--from must be a date like 2025-01-31');
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { arxivListingsSource } from '../../src/ingest/arxiv-listings/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { demoListingDays } from '../helpers/listing-days.js';

// Five real listing days from the demo set in the repository (CC0 arXiv metadata).
const sampleFiles = demoListingDays(5);

function uniqueIds(files: string[]): number {
  const ids = new Set<string>();
  for (const f of files)
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) if (line.trim()) ids.add(JSON.parse(line).id);
  return ids.size;
}

describe.each(TEST_DIALECTS)('arxiv-listings import on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('loads five real listing days, then finds them all unchanged', async () => {
    const lines = sampleFiles.reduce(
      (n, f) =>
        n +
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .filter((l) => l.trim()).length,
      0,
    );
    const first = await runImport(db, arxivListingsSource, sampleFiles);
    expect(first.read).toBe(lines);
    expect(first.rejected).toBe(0);
    expect(first.inserted).toBe(uniqueIds(sampleFiles));
    const second = await runImport(db, arxivListingsSource, sampleFiles);
    expect(second.inserted).toBe(0);
    expect(second.updated).toBe(0);
    expect(second.unchanged).toBe(lines);
  });

  it('reads gzip and zstd, and reports malformed lines with file and line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-listing-'));
    const good = fs.readFileSync(sampleFiles[0], 'utf8').split('\n').filter(Boolean).slice(0, 3);
    const text = [
      good[0],
      '{not json',
      good[1],
      JSON.stringify({ id: 'abc', title: 'x' }),
      JSON.stringify({ id: '2503.00001' }),
      good[2],
    ].join('\n');
    const gz = path.join(dir, '2025-03-18.jsonl.gz');
    fs.writeFileSync(gz, zlib.gzipSync(text));
    const { execFileSync } = await import('node:child_process');
    const plain = path.join(dir, '2025-03-19.jsonl');
    fs.writeFileSync(plain, text);
    execFileSync('zstd', ['-q', plain, '-o', `${plain}.zst`]);
    fs.rmSync(plain);
    const s = await runImport(db, arxivListingsSource, [gz, `${plain}.zst`]);
    expect(s.read).toBe(12);
    expect(s.rejected).toBe(6);
    expect(s.rejects.map((r) => [path.basename(r.file), r.line])).toEqual([
      ['2025-03-18.jsonl.gz', 2],
      ['2025-03-18.jsonl.gz', 4],
      ['2025-03-18.jsonl.gz', 5],
      ['2025-03-19.jsonl.zst', 2],
      ['2025-03-19.jsonl.zst', 4],
      ['2025-03-19.jsonl.zst', 5],
    ]);
    expect(s.rejects[0].reason).toMatch(/not valid JSON/);
    expect(s.rejects[1].reason).toMatch(/not an arXiv id/);
    expect(s.rejects[2].reason).toMatch(/title/);
    expect(s.inserted).toBe(3);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

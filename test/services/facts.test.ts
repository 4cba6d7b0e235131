import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FACTS_EXTRACTOR_VERSION } from '../../src/facts/fact.js';
import { extractPendingFacts, rebuildFacts } from '../../src/services/facts.js';
import { countPapersNeedingFacts, factsOfPapers, factTotals } from '../../src/store/fact-store.js';
import { upsertPapers } from '../../src/store/paper-store.js';
import { testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { runCli } from '../helpers/run-cli.js';
import { paper } from '../helpers/site.js';

const FAST = 'We present a kernel that achieves decoding speedups of up to 1.79x on CPU and needs 62% less KV cache.';
const NONE = 'We study the history of the printing press in early modern Europe.';

describe.each(TEST_DIALECTS)('result facts stored with the paper on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('extracts new abstracts once, and again only when an abstract changes', async () => {
    const app = testApp(db);
    const { ids } = await upsertPapers(db, [
      paper('2501.00001', { abstract: FAST }),
      paper('2501.00002', { abstract: NONE }),
    ]);
    expect(await countPapersNeedingFacts(db)).toBe(2);
    const first = await extractPendingFacts(app);
    expect(first).toMatchObject({ papers: 2, facts: 2, withFacts: 1 });
    const facts = await factsOfPapers(db, ids);
    expect(facts.get(ids[0])?.map((f) => [f.kind, f.value, f.unit, f.setting])).toEqual([
      ['speedup', 1.79, 'x', 'CPU'],
      ['reduction', 62, '%', null],
    ]);
    expect(facts.has(ids[1])).toBe(false);
    expect((await extractPendingFacts(app)).papers).toBe(0);

    // The same record again changes nothing; a new abstract is extracted again, alone.
    await upsertPapers(db, [paper('2501.00001', { abstract: FAST })]);
    expect(await countPapersNeedingFacts(db)).toBe(0);
    await upsertPapers(db, [paper('2501.00001', { abstract: 'We train a 7B model that reaches 85.3% on MMLU.' })]);
    expect(await countPapersNeedingFacts(db)).toBe(1);
    expect((await extractPendingFacts(app)).papers).toBe(1);
    const again = await factsOfPapers(db, [ids[0]]);
    expect(again.get(ids[0])?.map((f) => [f.kind, f.value, f.unit])).toEqual([['score', 85.3, '%']]);
    expect(await factTotals(db)).toEqual({ facts: 1, papers: 1 });
  });

  it('rebuilds every paper, and re-extracts facts an older extractor wrote', async () => {
    const app = testApp(db);
    await upsertPapers(db, [paper('2501.00001', { abstract: FAST }), paper('2501.00002', { abstract: NONE })]);
    await extractPendingFacts(app);
    const r = await rebuildFacts(app);
    expect(r).toMatchObject({ papers: 2, facts: 2 });
    expect(await factTotals(db)).toEqual({ facts: 2, papers: 1 });
    await db.kysely
      .updateTable('papers')
      .set({ facts_version: FACTS_EXTRACTOR_VERSION - 1 })
      .execute();
    expect((await extractPendingFacts(app)).papers).toBe(2);
    expect(await factTotals(db)).toEqual({ facts: 2, papers: 1 });
  });

  it('paperboy facts rebuild and facts extract', async () => {
    await upsertPapers(db, [paper('2501.00001', { abstract: FAST })]);
    const rebuilt = await runCli(['facts', 'rebuild', '--json'], db.env);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ papers: 1, facts: 2, withFacts: 1 });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-facts-'));
    const file = path.join(dir, 'in.jsonl');
    fs.writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', title: 'A', abstract: FAST }),
        '{not json',
        JSON.stringify({ id: 'b', title: 'B', abstract: NONE }),
      ].join('\n'),
    );
    const out = await runCli(['facts', 'extract', file, '--json'], db.env);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('in.jsonl:2: skipped, not JSON');
    const lines = out.stdout.split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.facts.length])).toEqual([
      ['a', 2],
      ['b', 0],
    ]);
    expect(Object.keys(lines[0].facts[0])).toEqual([
      'span',
      'value',
      'value_max',
      'unit',
      'kind',
      'metric',
      'setting',
      'baseline',
    ]);
  });
});

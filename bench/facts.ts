/**
 * `npm run bench:facts`: result-fact extraction speed and memory (issue #18).
 *  (a) extraction alone over every unique abstract of the real corpus (74,728 papers, the 410
 *      listing days), in this process;
 *  (b) `rebuildFacts` (extract + store, what `paperboy facts rebuild` does) over the same papers in
 *      a fresh SQLite database;
 *  (c) the same over N generated papers (default 1,000,000: the real abstracts repeated under new
 *      ids), with this process's peak RSS.
 * Flags: --papers N (0 skips c). Prints a Markdown table.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDb } from '../src/db/open.js';
import { extractFacts } from '../src/facts/extract.js';
import { emptyRecord, type PaperRecord } from '../src/model/paper.js';
import { rebuildFacts } from '../src/services/facts.js';
import { upsertPapers } from '../src/store/paper-store.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CORPUS = path.resolve(
  process.env.PAPERBOY_SHARED_DATA ?? path.join(ROOT, '../shared/data'),
  'arxiv-listings/daily-arXiv-ai-enhanced_data-branch_410days.tar.zst',
);
/** Generated papers for run (c) (issue #18: one million). */
const DEFAULT_GENERATED = 1_000_000;
/** Papers per upsert while filling the databases (not timed). */
const FILL_BATCH = 2000;

const i = process.argv.indexOf('--papers');
const generated = i > 0 ? Number(process.argv[i + 1]) : DEFAULT_GENERATED;

if (!fs.existsSync(CORPUS)) {
  console.log(`bench:facts skipped: ${CORPUS} is missing`);
  process.exit(0);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-facts-'));
const rows: string[] = [];
// Each row is also printed when measured, so a run cut short (a busy machine) still reports it.
const report = (row: string) => {
  rows.push(row);
  console.error(row);
};
const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;
try {
  spawnSync('tar', ['--zstd', '-xf', CORPUS, '-C', tmp], { stdio: 'inherit' });
  const dd = path.join(tmp, 'dd');
  const papers = new Map<string, { title: string; summary: string }>();
  for (const f of fs.readdirSync(dd).sort())
    for (const line of fs.readFileSync(path.join(dd, f), 'utf8').split('\n'))
      if (line.trim()) {
        const r = JSON.parse(line);
        papers.set(r.id, { title: r.title, summary: r.summary });
      }
  const real = [...papers.entries()];
  console.error(`bench: ${real.length} unique papers`);

  // (a) extraction alone.
  let t = performance.now();
  let facts = 0;
  let withFacts = 0;
  for (const [, p] of real) {
    const f = extractFacts(p.summary);
    facts += f.length;
    if (f.length > 0) withFacts++;
  }
  let s = (performance.now() - t) / 1000;
  report(
    `| extract only, real corpus | ${real.length.toLocaleString('en')} | ${facts.toLocaleString('en')} (${withFacts.toLocaleString('en')} papers) | ${s.toFixed(1)} s | ${Math.round(real.length / s).toLocaleString('en')} | ${mb(process.resourceUsage().maxRSS * 1024)} |`,
  );

  const record = (id: string, p: { title: string; summary: string }): PaperRecord => ({
    ...emptyRecord(id),
    title: p.title,
    abstract: p.summary,
    authors: ['A. Author'],
    categories: ['cs.LG'],
  });
  const storeRun = async (label: string, count: number, idOf: (n: number) => string) => {
    const file = path.join(tmp, `${label.replace(/\W/g, '')}.db`);
    const db = openDb({ kind: 'sqlite', file });
    await migrateToLatest(db);
    for (let n = 0; n < count; n += FILL_BATCH) {
      const batch: PaperRecord[] = [];
      for (let k = n; k < Math.min(count, n + FILL_BATCH); k++) batch.push(record(idOf(k), real[k % real.length][1]));
      await upsertPapers(db, batch);
    }
    const app = buildApp({
      config: loadConfig({ SECRET_KEY: 'x'.repeat(32), BASE_URL: 'http://localhost' }),
      db,
      log: pino({ level: 'silent' }),
    });
    t = performance.now();
    const r = await rebuildFacts(app);
    s = (performance.now() - t) / 1000;
    report(
      `| ${label} | ${r.papers.toLocaleString('en')} | ${r.facts.toLocaleString('en')} (${r.withFacts.toLocaleString('en')} papers) | ${s.toFixed(1)} s | ${Math.round(r.papers / s).toLocaleString('en')} | ${mb(process.resourceUsage().maxRSS * 1024)} |`,
    );
    await db.close();
  };
  // (b) the real corpus, extracted and stored.
  await storeRun('facts rebuild, real corpus, SQLite', real.length, (k) => real[k][0]);
  // (c) generated papers: new-style ids, the real abstracts in turn.
  if (generated > 0)
    await storeRun(`facts rebuild, ${generated.toLocaleString('en')} generated, SQLite`, generated, (k) => {
      const month = k % 132;
      return `${15 + Math.floor(month / 12)}${String((month % 12) + 1).padStart(2, '0')}.${String(Math.floor(k / 132) + 1).padStart(5, '0')}`;
    });
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}\n`,
);
console.log('| run | papers | facts | wall time | papers/s | peak RSS (this process) |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);

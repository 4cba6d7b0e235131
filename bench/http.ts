import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { openApp } from '../src/app.js';
import { dailyEntries, latestListingDay } from '../src/store/listing-store.js';
import { countPapers } from '../src/store/paper-store.js';
import { DATABASES, DB_FILE, log, prepare, preparePostgres, startServer, wrk } from './site-data.js';

/**
 * npm run bench:http — wrk on loopback against the full arXiv corpus (74,728 papers) plus a year of
 * daily lists, for /, a paper page, a search page, /api/daily_papers, /api/papers/search without a
 * query and a paper as Markdown (/papers/{id}.md); with the page cache (what
 * ships) and without it (the plain render, the baseline), in the same run.
 *
 * Daily lists: generated over the real papers (DAILY_PAPERS_PER_DAY of each listing day's new
 * papers, heavy-tailed upvotes from a fixed seed), since the Hugging Face days cover other dates.
 * The prepared database is kept in BENCH_DIR and reused when it is complete. The same data is then
 * copied (`db copy`) into the PostgreSQL schema BENCH_PG_SCHEMA of BENCH_PG_URL, kept too, and every
 * target is measured on both databases (BENCH_DATABASES=sqlite narrows it).
 */
const WRK_CONNECTIONS = 50;
const WRK_THREADS = 2;
const WRK_DURATION_S = Number(process.env.BENCH_SECONDS ?? 20);
/** An unmeasured wrk run before each measured one, seconds. */
const WRK_WARMUP_S = 5;
async function main(): Promise<void> {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('bench:http: wrk is missing (apt-get install -y wrk)');
  }
  await prepare();
  if (DATABASES.includes('postgres')) await preparePostgres();
  const app = await openApp({ env: { ...process.env, DATABASE_URL: DB_FILE } });
  const last = (await latestListingDay(app.db))!;
  const top = (await dailyEntries(app.db, { from: last, to: last, limit: 1, offset: 0 })).items[0];
  log(`papers: ${await countPapers(app.db)}, latest day ${last}, paper ${top.arxivId}`);
  await app.close();
  const targets: Array<[string, string]> = [
    ['/', '/'],
    ['paper page', `/papers/${top.arxivId}`],
    ['search page', '/papers?q=language+model'],
    ['/api/daily_papers', '/api/daily_papers'],
    // What huggingface_hub's list_papers() and read_paper(id) ask for (issue #14).
    ['/api/papers/search (no q)', '/api/papers/search'],
    ['paper as Markdown', `/papers/${top.arxivId}.md`],
  ];
  const rows: string[] = [];
  for (const database of DATABASES) {
    for (const cache of [false, true]) {
      const { child, port } = await startServer(cache, database);
      try {
        for (const [name, p] of targets) {
          const url = `http://127.0.0.1:${port}${p}`;
          execFileSync('curl', ['-sf', '-o', '/dev/null', url]); // fail loudly on an error page
          // A running site is warm: let the JIT and the caches settle before the measured run.
          wrk(url, WRK_WARMUP_S, WRK_CONNECTIONS, WRK_THREADS);
          const r = wrk(url, WRK_DURATION_S, WRK_CONNECTIONS, WRK_THREADS);
          const row = `| ${name} | ${database} | ${cache ? 'cached (shipped)' : 'plain render (baseline)'} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`;
          log(row);
          rows.push(row);
        }
      } finally {
        child.kill('SIGTERM');
        if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      }
    }
  }
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
  console.log(
    `\nwrk -t${WRK_THREADS} -c${WRK_CONNECTIONS} -d${WRK_DURATION_S}s on loopback; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}); load average at the end ${load}\n`,
  );
  console.log('| target | database | server | req/s | p50 ms | p99 ms | errors |');
  console.log('|---|---|---|---:|---:|---:|---|');
  for (const r of rows) console.log(r);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

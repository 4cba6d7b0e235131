import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { openApp } from '../src/app.js';
import { dailyEntries, latestListingDay } from '../src/store/listing-store.js';
import { countPapers } from '../src/store/paper-store.js';
import {
  DATABASES,
  DB_FILE,
  log,
  prepare,
  preparePostgres,
  startServer,
  type WrkResult,
  wrk,
  wrkAsync,
} from './site-data.js';

/**
 * npm run bench:http — wrk on loopback against the full arXiv corpus (74,728 papers) plus a year of
 * daily lists, for /, a paper page, a search page, /api/daily_papers, /api/papers/search without a
 * query, a paper as Markdown (/papers/{id}.md) and result rankings; with the page cache (what
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
/** The metrics mode (BENCH_MODE=metrics): measured rounds of `/` without and with scraping, alternated. */
const SCRAPE_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** How often the metrics mode's scraper fetches /metrics, ms: Prometheus' usual 15 s, fifteen times over. */
const SCRAPE_INTERVAL_MS = 1_000;
const BENCH_METRICS_TOKEN = 'bench-metrics-token-0123456789';
/** Scrapes timed one after another for the CPU cost of one. */
const SCRAPE_SAMPLES = 50;
/** Seconds of wrk load over which the server's CPU per second serving `/` is read. */
const CPU_PROBE_S = 10;
/** CLK_TCK: /proc/<pid>/stat counts CPU time in these ticks per second on Linux. */
const CLOCK_TICKS_PER_S = 100;

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (Linux). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // After "pid (comm) ": state is field 0, utime 11, stime 12.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}
/** BENCH_TARGETS=results,paper measures only the targets whose name holds one of these words. */
const ONLY = (process.env.BENCH_TARGETS ?? '').split(',').filter((x) => x !== '');

async function main(): Promise<void> {
  if (process.env.BENCH_MODE === 'metrics') return metricsMode();
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
  const targets = [
    ['/', '/'],
    ['paper page', `/papers/${top.arxivId}`],
    ['search page', '/papers?q=language+model'],
    ['/api/daily_papers', '/api/daily_papers'],
    // What huggingface_hub's list_papers() and read_paper(id) ask for (issue #14).
    ['/api/papers/search (no q)', '/api/papers/search'],
    ['paper as Markdown', `/papers/${top.arxivId}.md`],
    // Result rankings (issue #18): the widest one (every score in %), a narrow one, its JSON.
    ['results: scores ranking', '/results/score'],
    ['results: speedups this month', '/results/speedup?period=month'],
    ['results: /api/results (MMLU)', '/api/results/score?setting=MMLU'],
  ].filter(([name]) => ONLY.length === 0 || ONLY.some((o) => name.includes(o))) as Array<[string, string]>;
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Issue #16: what a Prometheus scrape every second costs `/` (cached, as shipped). One server per
 * database, the same process for both arms; rounds alternate without and with the scraper so load
 * drift on a shared machine falls on both alike. Each arm's figure is the median of its rounds.
 */
async function metricsMode(): Promise<void> {
  await prepare();
  if (DATABASES.includes('postgres')) await preparePostgres();
  const rows: string[] = [];
  for (const database of DATABASES) {
    // `/` never searches: the search index is left unbuilt (/metrics then reports it not loaded).
    const { child, port } = await startServer(true, database, {
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
      WARM_SEARCH: 'off',
    });
    try {
      const url = `http://127.0.0.1:${port}/`;
      const metricsUrl = `http://127.0.0.1:${port}/metrics`;
      const auth = { authorization: `Bearer ${BENCH_METRICS_TOKEN}` };
      const first = await fetch(metricsUrl, { headers: auth });
      if (first.status !== 200) throw new Error(`bench:http: /metrics answered ${first.status}`);
      const bytes = (await first.text()).length;
      execFileSync('curl', ['-sf', '-o', '/dev/null', url]);
      wrk(url, WRK_WARMUP_S, WRK_CONNECTIONS, WRK_THREADS);
      const arms: Record<'off' | 'on', WrkResult[]> = { off: [], on: [] };
      const scrapeMs: number[] = [];
      for (let round = 0; round < SCRAPE_ROUNDS; round++) {
        for (const arm of ['off', 'on'] as const) {
          let scraping: NodeJS.Timeout | undefined;
          if (arm === 'on')
            scraping = setInterval(() => {
              const t0 = performance.now();
              fetch(metricsUrl, { headers: auth })
                .then(async (r) => {
                  await r.arrayBuffer();
                  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}`);
                  scrapeMs.push(performance.now() - t0);
                })
                .catch((err) => log(`scrape failed: ${(err as Error).message}`));
            }, SCRAPE_INTERVAL_MS);
          // wrk runs as a child process, so the scraper's timers fire while it measures.
          const r = await wrkAsync(url, WRK_DURATION_S, WRK_CONNECTIONS, WRK_THREADS);
          clearInterval(scraping);
          log(`${database} round ${round + 1} scrape ${arm}: ${r.rps.toFixed(0)} req/s`);
          arms[arm].push(r);
        }
      }
      // Throughput on a shared machine drifts by more than 2 % between rounds, so the scrape's own
      // cost is also measured directly: the server's CPU time for SCRAPE_SAMPLES scrapes, against
      // the CPU time it spends per second serving `/` under wrk.
      const cpu0 = cpuSeconds(child.pid!);
      for (let i = 0; i < SCRAPE_SAMPLES; i++) await (await fetch(metricsUrl, { headers: auth })).arrayBuffer();
      const cpuPerScrape = (cpuSeconds(child.pid!) - cpu0) / SCRAPE_SAMPLES;
      const busy0 = cpuSeconds(child.pid!);
      const t0 = performance.now();
      await wrkAsync(url, CPU_PROBE_S, WRK_CONNECTIONS, WRK_THREADS);
      const servingCpuPerS = (cpuSeconds(child.pid!) - busy0) / ((performance.now() - t0) / 1000);
      const cpuCost = ((cpuPerScrape * (1000 / SCRAPE_INTERVAL_MS)) / servingCpuPerS) * 100;
      const off = median(arms.off.map((r) => r.rps));
      const on = median(arms.on.map((r) => r.rps));
      const cost = ((off - on) / off) * 100;
      rows.push(
        `| / | ${database} | ${arms.off.map((r) => r.rps.toFixed(0)).join(' / ')} | ${arms.on.map((r) => r.rps.toFixed(0)).join(' / ')} | ${off.toFixed(0)} | ${on.toFixed(0)} | ${cost.toFixed(1)} % | ${median(arms.off.map((r) => r.p99)).toFixed(2)} / ${median(arms.on.map((r) => r.p99)).toFixed(2)} | ${scrapeMs.length}, median ${median(scrapeMs).toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KB | ${(cpuPerScrape * 1000).toFixed(2)} ms CPU; serving / ${servingCpuPerS.toFixed(2)} CPU-s/s → **${cpuCost.toFixed(2)} %** | ${[...arms.off, ...arms.on].map((r) => r.errors).find((e) => e !== 'none') ?? 'none'} |`,
      );
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
  }
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
  console.log(
    `\nwrk -t${WRK_THREADS} -c${WRK_CONNECTIONS} -d${WRK_DURATION_S}s on loopback, ${SCRAPE_ROUNDS} rounds per arm, scrape every ${SCRAPE_INTERVAL_MS} ms; ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}); load average at the end ${load}\n`,
  );
  console.log(
    "| target | database | req/s per round, no scrape | req/s per round, scraped | median no scrape | median scraped | cost (throughput) | p99 ms (median) no / scraped | scrapes | a scrape's CPU → cost (CPU) | errors |",
  );
  console.log('|---|---|---|---|---:|---:|---:|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

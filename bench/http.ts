import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openApp } from '../src/app.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDb } from '../src/db/open.js';
import { emptyRecord } from '../src/model/paper.js';
import { copyDatabase } from '../src/services/db-copy.js';
import { upsertDailyEntries } from '../src/store/daily-store.js';
import { adjacentListingDays, dailyEntries, latestListingDay, newOnArxiv } from '../src/store/listing-store.js';
import { countPapers, upsertPapers } from '../src/store/paper-store.js';

/**
 * npm run bench:http — wrk on loopback against the full arXiv corpus (74,728 papers) plus a year of
 * daily lists, for /, a paper page, a search page and /api/daily_papers; with the page cache (what
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
const DAILY_DAYS = 365;
const DAILY_PAPERS_PER_DAY = 30;
const EXPECTED_PAPERS = 74_728;
const BENCH_DIR = process.env.BENCH_DIR ?? path.join(os.tmpdir(), 'paperboy-bench-http');
const TARBALL = path.resolve(
  process.env.PAPERBOY_SHARED_DATA ?? '../shared/data',
  'arxiv-listings/daily-arXiv-ai-enhanced_data-branch_410days.tar.zst',
);
const DB_FILE = path.join(BENCH_DIR, 'bench.db');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PG_SCHEMA = process.env.BENCH_PG_SCHEMA ?? 'bench_http';
const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((d) => d.trim());
/** The environment that points a process at the benchmark's database of either kind. */
const DB_ENV: Record<string, Record<string, string>> = {
  sqlite: { DATABASE_URL: DB_FILE },
  postgres: { DATABASE_URL: PG_URL, PGOPTIONS: `-c search_path=${PG_SCHEMA}` },
};

function log(msg: string): void {
  process.stderr.write(`bench:http ${msg}\n`);
}

/** A small deterministic PRNG (mulberry32): the same lists on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function prepare(): Promise<void> {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const env = { ...process.env, DATABASE_URL: DB_FILE };
  let app = await openApp({ migrate: true, env });
  const papers = await countPapers(app.db);
  await app.close();
  if (papers < EXPECTED_PAPERS) {
    const dir = path.join(BENCH_DIR, 'listings');
    if (!fs.existsSync(dir)) {
      log(`unpacking ${TARBALL}`);
      fs.mkdirSync(dir, { recursive: true });
      execFileSync('tar', ['--zstd', '-xf', TARBALL, '-C', dir]);
    }
    const files = execFileSync('find', [dir, '-name', '*.jsonl']).toString().trim().split('\n').sort();
    log(`importing ${files.length} listing days with the CLI`);
    const t0 = Date.now();
    execFileSync('node', ['bin/paperboy.js', 'import', 'arxiv-listings', '--quiet', ...files], {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    log(`imported in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  app = await openApp({ env });
  const db = app.db;
  const last = await latestListingDay(db);
  if (!last) throw new Error('bench:http: no listing days imported');
  if ((await dailyEntries(db, { from: last, to: last, limit: 1, offset: 0 })).total === 0) {
    log(`generating ${DAILY_DAYS} days of daily lists`);
    const random = rng(42);
    let day: string | null = last;
    const first = new Date(Date.parse(`${last}T00:00:00Z`) - DAILY_DAYS * 86_400_000).toISOString().slice(0, 10);
    while (day && day > first) {
      const fresh = (await newOnArxiv(db, { from: day, to: day, limit: 2000, offset: 0 })).items;
      const picked = fresh
        .filter(() => random() < (DAILY_PAPERS_PER_DAY * 1.5) / Math.max(fresh.length, 1))
        .slice(0, DAILY_PAPERS_PER_DAY);
      // Upvotes on Daily Papers are heavy-tailed: most papers get a few, some get hundreds.
      await upsertPapers(
        db,
        picked.map((c) => ({ ...emptyRecord(c.arxivId), importedUpvotes: Math.floor(Math.exp(random() * 6)) })),
      );
      const theDay: string = day;
      await upsertDailyEntries(
        db,
        picked.map((c, position) => ({
          paperId: c.id,
          day: theDay,
          position,
          submittedBy: 'bench',
          submitterFullname: 'Bench',
          submittedAt: `${theDay}T06:00:00.000Z`,
          source: 'bench',
          organizationId: null,
        })),
      );
      day = (await adjacentListingDays(db, day)).prev;
    }
  }
  await app.close();
}

/** The SQLite database, copied into its own PostgreSQL schema unless a complete copy is there. */
async function preparePostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const has = await admin.query(
      `select 1 from information_schema.tables where table_schema = $1 and table_name = 'papers'`,
      [PG_SCHEMA],
    );
    if (has.rowCount) {
      const n = await admin.query(`select count(*)::int as n from "${PG_SCHEMA}".papers`);
      if (n.rows[0].n >= EXPECTED_PAPERS) {
        // A copy kept from an older build: bring its schema up to this one.
        const db = openDb({ kind: 'postgres', url: PG_URL }, { schema: PG_SCHEMA });
        try {
          await migrateToLatest(db);
        } finally {
          await db.close();
        }
        return;
      }
    }
    await admin.query(`drop schema if exists "${PG_SCHEMA}" cascade; create schema "${PG_SCHEMA}"`);
  } finally {
    await admin.end();
  }
  log(`copying the SQLite database into PostgreSQL schema ${PG_SCHEMA}`);
  const from = openDb({ kind: 'sqlite', file: DB_FILE });
  const to = openDb({ kind: 'postgres', url: PG_URL }, { schema: PG_SCHEMA });
  const t0 = Date.now();
  try {
    await copyDatabase(from, to);
  } finally {
    await from.close();
    await to.close();
  }
  log(`copied in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

function startServer(cache: boolean, database: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['dist/bench/http-server.js'], {
      env: { ...process.env, ...DB_ENV[database], PAGE_CACHE: cache ? 'on' : 'off', BENCH_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (b: Buffer) => {
      const m = /ready (\d+)/.exec(b.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`bench:http: server exited (${code})`)));
  });
}

interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  errors: string;
}

function toMs(v: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(v);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

function wrk(url: string, seconds = WRK_DURATION_S): WrkResult {
  const out = execFileSync('wrk', [
    `-t${WRK_THREADS}`,
    `-c${WRK_CONNECTIONS}`,
    `-d${seconds}s`,
    '--latency',
    url,
  ]).toString();
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = toMs(/\s50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '');
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1];
  const sockErr = /Socket errors: (.*)/.exec(out)?.[1];
  return {
    rps,
    p50,
    p99,
    errors: [non2xx ? `${non2xx} non-2xx` : '', sockErr ?? ''].filter(Boolean).join('; ') || 'none',
  };
}

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
          wrk(url, WRK_WARMUP_S);
          const r = wrk(url);
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

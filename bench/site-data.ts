import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { buildApp, openApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDb } from '../src/db/open.js';
import { emptyRecord } from '../src/model/paper.js';
import { copyDatabase } from '../src/services/db-copy.js';
import { extractPendingFacts } from '../src/services/facts.js';
import { upsertDailyEntries } from '../src/store/daily-store.js';
import { countPapersNeedingFacts } from '../src/store/fact-store.js';
import { adjacentListingDays, dailyEntries, latestListingDay, newOnArxiv } from '../src/store/listing-store.js';
import { countPapers, upsertPapers } from '../src/store/paper-store.js';

/**
 * The site the HTTP benchmarks measure (bench:http, bench:mixed): the full arXiv corpus (74,728
 * papers) plus DAILY_DAYS of daily lists generated over it (DAILY_PAPERS_PER_DAY of each listing
 * day's new papers, heavy-tailed upvotes from a fixed seed, since the Hugging Face days cover other
 * dates), kept in BENCH_DIR and reused when complete, and copied (`db copy`) into the PostgreSQL
 * schema BENCH_PG_SCHEMA of BENCH_PG_URL. Also: the benchmark server in its own process, and wrk.
 */
export const DAILY_DAYS = 365;
const DAILY_PAPERS_PER_DAY = 30;
export const EXPECTED_PAPERS = 74_728;
export const BENCH_DIR = process.env.BENCH_DIR ?? path.join(os.tmpdir(), 'paperboy-bench-http');
const TARBALL = path.resolve(
  process.env.PAPERBOY_SHARED_DATA ?? '../shared/data',
  'arxiv-listings/daily-arXiv-ai-enhanced_data-branch_410days.tar.zst',
);
export const DB_FILE = path.join(BENCH_DIR, 'bench.db');
export const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const PG_SCHEMA = process.env.BENCH_PG_SCHEMA ?? 'bench_http';
export const DATABASES = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',').map((d) => d.trim());
/** The environment that points a process at the benchmark's database of either kind. */
export const DB_ENV: Record<string, Record<string, string>> = {
  sqlite: { DATABASE_URL: DB_FILE },
  postgres: { DATABASE_URL: PG_URL, PGOPTIONS: `-c search_path=${PG_SCHEMA}` },
};

export function log(msg: string): void {
  process.stderr.write(`bench:http ${msg}\n`);
}

/** A small deterministic PRNG (mulberry32): the same lists on every run. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function prepare(): Promise<void> {
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
  // The result rankings need the facts the extract-facts job writes (issue #18): none is pending
  // once done, so a kept database costs one count.
  if ((await countPapersNeedingFacts(app.db)) > 0) {
    const t0 = Date.now();
    const r = await extractPendingFacts(app);
    log(`extracted the facts of ${r.papers} papers in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
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
export async function preparePostgres(): Promise<void> {
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
        // A copy kept from an older build: bring its schema up to this one, and its facts.
        const db = openDb({ kind: 'postgres', url: PG_URL }, { schema: PG_SCHEMA });
        try {
          await migrateToLatest(db);
          if ((await countPapersNeedingFacts(db)) > 0)
            await extractPendingFacts(
              buildApp({ config: loadConfig({ SECRET_KEY: 'x'.repeat(32), BASE_URL: 'http://localhost' }), db }),
            );
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

/** The benchmark server (bench/http-server.ts) in its own process, on a free port; `env` adds settings, `nodeArgs` Node's own flags. */
export function startServer(
  cache: boolean,
  database: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [...nodeArgs, 'dist/bench/http-server.js'], {
      env: { ...process.env, ...DB_ENV[database], ...env, PAGE_CACHE: cache ? 'on' : 'off', BENCH_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (b: Buffer) => {
      const m = /ready (\d+)/.exec(b.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`bench:http: server exited (${code})`)));
  });
}

export interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
  errors: string;
}

export function toMs(v: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(v);
  if (!m) return NaN;
  return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
}

export function wrk(url: string, seconds: number, connections: number, threads: number): WrkResult {
  const out = execFileSync('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url]).toString();
  return parseWrk(out);
}

/** wrk without blocking this process's event loop (its timers keep firing while wrk measures). */
export async function wrkAsync(url: string, seconds: number, connections: number, threads: number): Promise<WrkResult> {
  const { stdout } = await promisify(execFile)('wrk', [
    `-t${threads}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '--latency',
    url,
  ]);
  return parseWrk(stdout);
}

function parseWrk(out: string): WrkResult {
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

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type App, buildApp, openApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { openDb } from '../src/db/open.js';
import { csrfToken } from '../src/http/session.js';
import { CLI_ACTOR, createUser, login } from '../src/services/accounts.js';
import { copyDatabase } from '../src/services/db-copy.js';
import { dailyEntries, latestDailyDay } from '../src/store/listing-store.js';
import { countDrift, siteStats } from '../src/store/stats-store.js';
import { generateKaggle, readSamples } from './kaggle-gen.js';
import { BENCH_DIR, DATABASES, DB_FILE, log, PG_URL, prepare, startServer } from './site-data.js';

/**
 * npm run bench:mixed — the site as it is used: CLIENTS clients for DURATION_S seconds, 90 %
 * anonymous page and API reads and 10 % writes by signed-in users (votes, saves, comments), with a
 * Kaggle import of IMPORT_RECORDS records started in a second process IMPORT_AT_S seconds in, and
 * /healthz asked every HEALTH_EVERY_MS throughout. Over the full corpus (bench/site-data.ts), on a
 * working copy, on SQLite and on PostgreSQL (BENCH_DATABASES narrows it).
 *
 * It fails (exit 1) unless: no request errs, the import completes with nothing rejected, every
 * paper's stored counts equal its rows (countDrift), and every acknowledged vote is a row.
 */
const CLIENTS = 200;
const THREADS = 2;
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_S = 5;
const USERS = 1_000;
const WRITE_PAPERS = 900;
const IMPORT_RECORDS = Number(process.env.BENCH_IMPORT_RECORDS ?? 150_000);
const IMPORT_AT_S = 10;
const HEALTH_EVERY_MS = 50;
const PASSWORD = 'correct horse battery staple';
const SECRET_KEY = 'bench-mixed-secret-0123456789abcdef0123456789';
const MIXED_DIR = path.join(BENCH_DIR, 'mixed');
const MIXED_DB = path.join(MIXED_DIR, 'mixed.db');
const PG_SCHEMA = 'bench_mixed';
/** What the server and the importer run with: every rate limit off (1,000 users voting from one IP). */
const SITE_ENV: Record<string, string> = {
  SECRET_KEY,
  PASSWORD_SCRYPT_LOG_N: '10',
  ...Object.fromEntries(['VOTE', 'COMMENT', 'LOGIN'].map((n) => [`RATE_LIMIT_${n}`, '0/0/1m'])),
};
/** Seconds between the server's reports of where its time went (bench/server-report.ts). */
const REPORT_EVERY_MS = 5000;
/** Clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_S = 100;
const DB_ENV: Record<string, Record<string, string>> = {
  sqlite: { DATABASE_URL: MIXED_DB },
  postgres: { DATABASE_URL: PG_URL, PGOPTIONS: `-c search_path=${PG_SCHEMA}` },
};

interface WrkOut {
  requests: number;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  status: number;
  votes: number;
  saves: number;
  comments: number;
  /** Responses >= 400 as mixed.lua counted them (wrk's `status` counts the same ones). */
  errors: number;
  /** Of those, 503s: the database stayed busy past the server's wait (Retry-After). */
  unavailable: number;
}

/** A fresh working copy of the benchmark site, so writes never touch bench:http's data. */
async function workingCopy(database: string): Promise<void> {
  // BENCH_MIXED_REUSE_PG_COPY=1 keeps the PostgreSQL copy of a run that wrote nothing (one that
  // stopped before its traffic); the copy takes minutes.
  if (database === 'postgres' && process.env.BENCH_MIXED_REUSE_PG_COPY === '1') return;
  if (database === 'sqlite') {
    fs.rmSync(MIXED_DIR, { recursive: true, force: true });
    fs.mkdirSync(MIXED_DIR, { recursive: true });
    fs.copyFileSync(DB_FILE, MIXED_DB);
    return;
  }
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`drop schema if exists "${PG_SCHEMA}" cascade; create schema "${PG_SCHEMA}"`);
  await admin.end();
  const from = openDb({ kind: 'sqlite', file: DB_FILE });
  const to = openDb({ kind: 'postgres', url: PG_URL }, { schema: PG_SCHEMA });
  const t0 = Date.now();
  try {
    await copyDatabase(from, to);
  } finally {
    await from.close();
    await to.close();
  }
  log(`copied to PostgreSQL in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

async function openWorking(database: string): Promise<App> {
  const env = { ...process.env, ...SITE_ENV, ...DB_ENV[database] };
  if (database !== 'postgres') return openApp({ env });
  // PGOPTIONS in `env` reaches child processes only; in this process the pool needs the schema.
  const config = loadConfig(env);
  return buildApp({ config, db: openDb(config.database, { schema: PG_SCHEMA }) });
}

/** Users with sessions, the URLs readers ask for and the papers writers touch, as files for mixed.lua. */
async function trafficFiles(app: App, dir: string): Promise<void> {
  const sessions: string[] = [];
  for (let i = 0; i < USERS; i++) {
    await createUser(app, CLI_ACTOR, { username: `load${i}`, email: `load${i}@example.org`, password: PASSWORD });
    const { token } = await login(app, { login: `load${i}`, password: PASSWORD });
    sessions.push(`pb_session=${token}\t${csrfToken(app, token)}`);
  }
  const last = (await latestDailyDay(app.db))!;
  const from = new Date(Date.parse(`${last}T00:00:00Z`) - 30 * 86_400_000).toISOString().slice(0, 10);
  const recent = (await dailyEntries(app.db, { from, to: last, limit: WRITE_PAPERS, offset: 0 })).items;
  const ids = recent.map((c) => c.arxivId);
  const days = [...new Set(recent.map((c) => c.daily!.day))].slice(0, 7);
  const queries = ['language+model', 'diffusion', 'graph+neural+network', 'robot+learning', '"reinforcement+learning"'];
  // Weights as lines: a reader mostly opens the home page, a day, trending and papers.
  const reads = [
    ...Array(20).fill('/'),
    ...days.flatMap((d) => Array(2).fill(`/papers/date/${d}`)),
    ...Array(8).fill('/papers/trending'),
    ...ids.slice(0, 300).map((id) => `/papers/${id}`),
    ...queries.flatMap((q) => Array(4).fill(`/papers?q=${q}`)),
    ...Array(10).fill('/api/daily_papers'),
    ...queries.map((q) => `/api/papers/search?q=${q}`),
    ...ids.slice(0, 50).map((id) => `/api/papers/${id}`),
  ];
  fs.writeFileSync(path.join(dir, 'sessions.txt'), `${sessions.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'papers.txt'), `${ids.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'reads.txt'), `${reads.join('\n')}\n`);
}

/** CPU seconds (user + system) a process has used so far, from /proc; null once it is gone. */
function cpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces), from its closing parenthesis: utime is the 12th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

interface ServerReport {
  t: number;
  ms: number;
  cpuMs: number;
  loop: { p50: number; p99: number; max: number };
  routes: Record<string, { n: number; p50: number; p99: number; max: number }>;
}

/** The server's `report {…}` lines (BENCH_REPORT_MS), as they come. */
function collectReports(child: ChildProcess): ServerReport[] {
  const out: ServerReport[] = [];
  let buf = '';
  child.stdout!.on('data', (b: Buffer) => {
    buf += b.toString();
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith('report ')) out.push(JSON.parse(line.slice(7)) as ServerReport);
      nl = buf.indexOf('\n');
    }
  });
  return out;
}

/** /healthz every HEALTH_EVERY_MS on its own connection; latencies in ms. */
function probeHealth(port: number, healthLog: Array<[number, number]>): { stop(): number[] } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const out: number[] = [];
  let running = true;
  const tick = () => {
    if (!running) return;
    const t0 = process.hrtime.bigint();
    const at = Date.now();
    http
      .get({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
        res.resume();
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          out.push(ms);
          healthLog.push([at, ms]);
          setTimeout(tick, HEALTH_EVERY_MS);
        });
      })
      .on('error', () => setTimeout(tick, HEALTH_EVERY_MS));
  };
  tick();
  return {
    stop() {
      running = false;
      agent.destroy();
      return out;
    },
  };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
}

function runWrk(port: number, dir: string, seconds: number): Promise<WrkOut> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'wrk',
      [
        `-t${THREADS}`,
        `-c${CLIENTS}`,
        `-d${seconds}s`,
        '--timeout',
        '30s',
        '-s',
        path.resolve('bench/mixed.lua'),
        `http://127.0.0.1:${port}`,
        '--',
        dir,
        String(THREADS),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.on('exit', () => {
      const m = /RESULT (\{.*\})/.exec(out);
      if (m) resolve(JSON.parse(m[1]) as WrkOut);
      else reject(new Error(`bench:mixed: wrk printed no result:\n${out}`));
    });
  });
}

/**
 * Node's own flags for a child process from an environment variable, split at spaces: e.g.
 * BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server (written when it
 * stops), BENCH_IMPORT_NODE_ARGS the import. (--cpu-prof is refused in NODE_OPTIONS.)
 */
function nodeArgs(variable: string): string[] {
  return (process.env[variable] ?? '').split(' ').filter(Boolean);
}

interface ImportRun {
  seconds: number;
  exit: number | null;
  summary: { read?: number; inserted?: number; rejected?: number } | null;
  stderr: string;
  /** CPU seconds the import process used (sampled every 200 ms). */
  cpu: number;
  startedAt: number;
}

function startImport(database: string, file: string): Promise<ImportRun> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child: ChildProcess = spawn(
      process.execPath,
      [...nodeArgs('BENCH_IMPORT_NODE_ARGS'), 'bin/paperboy.js', 'import', 'kaggle', file, '--json', '--quiet'],
      { env: { ...process.env, ...SITE_ENV, ...DB_ENV[database] }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Its CPU time, read while it runs (a finished process's /proc entry is gone).
    let cpu = 0;
    const sampler = setInterval(() => {
      cpu = cpuSeconds(child.pid) ?? cpu;
    }, 200);
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr!.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('exit', (code) => {
      clearInterval(sampler);
      let summary: ImportRun['summary'] = null;
      try {
        summary = JSON.parse(out.slice(out.indexOf('{')));
      } catch {
        summary = null;
      }
      resolve({ seconds: (Date.now() - t0) / 1000, exit: code, summary, stderr: err.slice(-2000), cpu, startedAt: t0 });
    });
  });
}

async function measure(database: string, kaggle: string): Promise<{ row: string; ok: boolean }> {
  await workingCopy(database);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-mixed-'));
  let app = await openWorking(database);
  await trafficFiles(app, dir);
  const before = await siteStats(app.db);
  await app.close();
  const { child, port } = await startServer(
    true,
    database,
    { ...SITE_ENV, ...DB_ENV[database], BENCH_REPORT_MS: String(REPORT_EVERY_MS) },
    nodeArgs('BENCH_SERVER_NODE_ARGS'),
  );
  const reports = collectReports(child);
  const healthLog: Array<[number, number]> = [];
  let ok = true;
  try {
    // A running site is warm: the JIT, the page cache and the search index before the clock starts.
    for (const p of ['/', '/papers/trending', '/api/daily_papers'])
      execFileSync('wrk', ['-t1', '-c10', `-d${WARMUP_S}s`, `http://127.0.0.1:${port}${p}`], { stdio: 'ignore' });
    const health = probeHealth(port, healthLog);
    const cpu0 = cpuSeconds(child.pid);
    const wrkAt = Date.now();
    const wrkDone = runWrk(port, dir, DURATION_S);
    await new Promise((r) => setTimeout(r, IMPORT_AT_S * 1000));
    log(`${database}: import of ${IMPORT_RECORDS} records starts`);
    const importDone = startImport(database, kaggle);
    const w = await wrkDone;
    const serverCpu = (cpuSeconds(child.pid) ?? NaN) - (cpu0 ?? NaN);
    // The raw counts too: "errors" in the table sums statuses >= 400, time-outs and socket errors.
    log(`${database}: wrk ${JSON.stringify(w)}`);
    const healthMs = health.stop();
    const imp = await importDone;
    const detail = process.env.BENCH_MIXED_DETAIL;
    if (detail)
      fs.writeFileSync(
        `${detail}.${database}.json`,
        JSON.stringify({ wrkAt, wrk: w, serverCpu, import: imp, reports, health: healthLog }),
      );
    log(
      `${database}: server CPU ${serverCpu.toFixed(1)} s over wrk's run (${((serverCpu * 1000) / w.requests).toFixed(3)} ms a request); import CPU ${imp.cpu.toFixed(1)} s`,
    );
    app = await openWorking(database);
    const drift = await countDrift(app.db);
    const after = await siteStats(app.db);
    await app.close();
    const newVotes = after.votes - before.votes;
    // wrk's `status` and mixed.lua's `errors` count the same responses (>= 400): count them once.
    const requestErrors = w.status + w.connect + w.read + w.write + w.timeout;
    const importOk = imp.exit === 0 && imp.summary?.read === IMPORT_RECORDS && imp.summary?.rejected === 0;
    // Votes in flight when wrk stopped may have landed too: at most one per connection.
    const votesOk = newVotes >= w.votes && newVotes <= w.votes + CLIENTS;
    ok = requestErrors === 0 && importOk && drift === 0 && votesOk;
    if (!importOk) log(`${database}: import failed (exit ${imp.exit}): ${imp.stderr}`);
    const rps = w.requests / w.seconds;
    // The server's windows inside wrk's run: the worst event-loop delay, as the windows' p99 and max.
    const inRun = reports.filter((r) => r.t > wrkAt && r.t - r.ms <= wrkAt + w.seconds * 1000);
    const loopP99 = Math.max(0, ...inRun.map((r) => r.loop.p99));
    const loopMax = Math.max(0, ...inRun.map((r) => r.loop.max));
    return {
      ok,
      row: `| ${database} | ${rps.toFixed(0)} | ${(w.p50 / 1000).toFixed(1)} | ${(w.p99 / 1000).toFixed(1)} | ${requestErrors} (${w.unavailable} × 503, ${w.timeout} time-outs) | ${w.votes} / ${w.saves} / ${w.comments} | ${newVotes} | ${drift} | ${imp.exit === 0 ? `${imp.seconds.toFixed(0)} s, ${imp.summary?.inserted} new` : `failed (${imp.exit})`} | ${pct(healthMs, 50).toFixed(1)} / ${pct(healthMs, 99).toFixed(1)} | ${((serverCpu * 1000) / w.requests).toFixed(3)} | ${loopP99.toFixed(0)} / ${loopMax.toFixed(0)} | ${ok ? 'pass' : 'FAIL'} |`,
    };
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await prepare();
  const kaggle = path.join(BENCH_DIR, `kaggle-${IMPORT_RECORDS}.jsonl.gz`);
  if (!fs.existsSync(kaggle)) {
    const listings = execFileSync('find', [path.join(BENCH_DIR, 'listings'), '-name', '*.jsonl'])
      .toString()
      .trim()
      .split('\n');
    log(`generating ${IMPORT_RECORDS} Kaggle records`);
    await generateKaggle(kaggle, IMPORT_RECORDS, readSamples(listings, 20_000));
  }
  const rows: string[] = [];
  let ok = true;
  for (const database of DATABASES) {
    const r = await measure(database, kaggle);
    log(r.row);
    rows.push(r.row);
    ok = ok && r.ok;
  }
  const load = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
  console.log(
    `\nwrk -t${THREADS} -c${CLIENTS} -d${DURATION_S}s, bench/mixed.lua (90 % reads, 10 % writes), a ${IMPORT_RECORDS.toLocaleString('en')}-record Kaggle import from ${IMPORT_AT_S} s; ${os.cpus().length} cores; load average at the end ${load}\n`,
  );
  console.log(
    '| database | req/s | p50 ms | p99 ms | errors | votes / saves / comments acknowledged | vote rows added | papers with drifted counts | import beside | /healthz p50 / p99 ms | server CPU ms a request | event-loop delay p99 / max ms (worst 5 s window) | |',
  );
  console.log('|---|---:|---:|---:|---:|---|---:|---:|---|---|---:|---|---|');
  for (const r of rows) console.log(r);
  process.exitCode = ok ? 0 : 1;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

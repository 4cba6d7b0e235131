import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDb } from '../src/db/open.js';
import { buildServer } from '../src/http/server.js';
import { fuzzRequests, isFault } from './fuzz-requests.js';
import { buildFuzzWorld, FUZZ_ENV } from './fuzz-world.js';

/**
 * npm run fuzz [-- --requests N] — generated and hostile requests over every route of the route
 * table and every OpenAPI parameter, on SQLite and PostgreSQL (FUZZ_DATABASES=sqlite narrows it),
 * each database in its own process.
 * Passes when no response is 500 or more and the process's resident memory at the end is within
 * 20 % of what it was after the first 10 % of requests (the page cache and pools warm up first).
 * Prints a table per database; exits 1 on failure.
 */
const at = process.argv.indexOf('--requests');
const REQUESTS = at >= 0 ? Number(process.argv[at + 1]) : 100_000;
const SEED = Number(process.env.FUZZ_SEED ?? 1);
const DATABASES = (process.env.FUZZ_DATABASES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MAX_RSS_GROWTH = 0.2;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function run(dialect: string): Promise<boolean> {
  let schema: string | null = null;
  const db =
    dialect === 'sqlite'
      ? openDb({ kind: 'sqlite', file: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-fuzz-')), 'fuzz.db') })
      : await (async () => {
          schema = `fuzz_${process.pid}`;
          const admin = new pg.Client({ connectionString: PG_URL });
          await admin.connect();
          await admin.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
          await admin.end();
          return openDb({ kind: 'postgres', url: PG_URL }, { schema });
        })();
  await migrateToLatest(db);
  const app = buildApp({
    config: loadConfig({ ...FUZZ_ENV, SECRET_KEY: 'fuzz-secret-0123456789abcdef0123456789', LOG_LEVEL: 'silent' }),
    db,
    mailer: null,
    arxivLookup: null,
  });
  const server = await buildServer(app);
  const world = await buildFuzzWorld(app, server);
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const t0 = Date.now();
  let warmRss = 0;
  let warmCache = 0;
  let n = 0;
  let faults = 0;
  for (const req of fuzzRequests(world, REQUESTS, SEED)) {
    const res = await server.inject(req);
    statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
    if (isFault(req.route, res.statusCode)) {
      faults++;
      if (failures.length < 20)
        failures.push(`${res.statusCode} ${req.method} ${String(req.url).slice(0, 160)} → ${res.body.slice(0, 160)}`);
    }
    if (++n === Math.floor(REQUESTS / 10)) {
      global.gc?.();
      warmRss = process.memoryUsage().rss;
      warmCache = server.responseCache.byteSize;
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  global.gc?.();
  const endRss = process.memoryUsage().rss;
  const endCache = server.responseCache.byteSize;
  await server.close();
  await app.close();
  if (schema) {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
  const fivexx = faults;
  const growth = (endRss - warmRss) / warmRss;
  const byStatus = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, c]) => `${s}: ${c}`)
    .join(', ');
  console.log(
    `| ${dialect} | ${REQUESTS.toLocaleString('en')} | ${(REQUESTS / seconds).toFixed(0)} req/s | ${fivexx} | ${mb(warmRss)} → ${mb(endRss)} (${(growth * 100).toFixed(1)} %) | ${mb(warmCache)} → ${mb(endCache)} | ${byStatus} |`,
  );
  for (const f of failures) console.log(`  ${f}`);
  return fivexx === 0 && growth <= MAX_RSS_GROWTH;
}

/**
 * Several databases: each in a child process of its own (this script with FUZZ_DATABASES=<one>),
 * so that one database's footprint (the allocator's pages after the SQLite phase, native memory)
 * is not charged to the next one's memory check: run in one process after SQLite, PostgreSQL
 * failed the bound (+31.6 %) that it meets alone (+9.1 %).
 */
function runInChild(database: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      env: { ...process.env, FUZZ_DATABASES: database, FUZZ_CHILD: '1' },
      stdio: 'inherit',
    });
    child.on('exit', (code) => resolve(code === 0));
  });
}

if (process.env.FUZZ_CHILD !== '1') {
  console.log(
    `npm run fuzz: ${REQUESTS} requests per database, seed ${SEED}; ${os.cpus().length} cores, Node ${process.version}\n`,
  );
  console.log(
    '| database | requests | rate | responses ≥ 500 | resident memory (after 10 % → end) | page cache | statuses |',
  );
  console.log('|---|---|---|---|---|---|---|');
}
let ok = true;
if (DATABASES.length > 1) for (const d of DATABASES) ok = (await runInChild(d)) && ok;
else ok = await run(DATABASES[0]);
process.exitCode = ok ? 0 : 1;

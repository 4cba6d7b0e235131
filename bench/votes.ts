import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { openDb } from '../src/db/open.js';
import { emptyRecord } from '../src/model/paper.js';
import { CLI_ACTOR, createApiToken, createUser } from '../src/services/accounts.js';
import { upsertPapers } from '../src/store/paper-store.js';

/**
 * Load test for voting: USERS concurrent users vote and un-vote on PAPERS papers for DURATION_S
 * seconds over loopback, against a server in its own process (as `paperboy serve` runs). Then:
 * server errors must be 0, and every paper's stored count must equal the sum of acknowledged votes
 * (each user's last acknowledged action on a paper decides whether their vote stands). The
 * baseline in the same run: the same users calling an authenticated read (GET /api/whoami).
 *
 *   npm run bench:votes                     # SQLite, 200 users, 60 s
 *   VOTES_BENCH_DB=postgres npm run bench:votes
 */
const USERS = Number(process.env.VOTES_BENCH_USERS ?? 200);
const PAPERS = Number(process.env.VOTES_BENCH_PAPERS ?? 20);
const DURATION_S = Number(process.env.VOTES_BENCH_SECONDS ?? 60);
const BASELINE_S = Number(process.env.VOTES_BENCH_BASELINE_SECONDS ?? 10);
const DB_KIND = process.env.VOTES_BENCH_DB === 'postgres' ? 'postgres' : 'sqlite';
const PG_URL = process.env.PAPERBOY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Cheapest allowed password cost: the bench creates USERS accounts, it does not measure logins. */
const BENCH_PASSWORD_LOG_N = '10';

interface Phase {
  requests: number;
  ok: number;
  serverErrors: number;
  otherErrors: number;
  latencies: number[];
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function setup(): Promise<{
  env: Record<string, string>;
  tokens: string[];
  arxivIds: string[];
  cleanup: () => Promise<void>;
}> {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (DB_KIND === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-votes-'));
    env = { DATABASE_URL: path.join(dir, 'votes.db') };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const pg = (await import('pg')).default;
    const schema = `bench_votes_${process.pid}`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
    await c.end();
    env = { DATABASE_URL: PG_URL, PGOPTIONS: `-c search_path=${schema}` };
    cleanup = async () => {
      const d = new pg.Client({ connectionString: PG_URL });
      await d.connect();
      await d.query(`drop schema if exists ${schema} cascade`);
      await d.end();
    };
  }
  const config = loadConfig({ ...process.env, ...env, PASSWORD_SCRYPT_LOG_N: BENCH_PASSWORD_LOG_N });
  if (env.PGOPTIONS) process.env.PGOPTIONS = env.PGOPTIONS;
  const db = openDb(config.database);
  await migrateToLatest(db);
  const arxivIds = Array.from({ length: PAPERS }, (_, i) => `2601.${String(20000 + i)}`);
  await upsertPapers(
    db,
    arxivIds.map((id) => ({
      ...emptyRecord(id),
      title: `Bench ${id}`,
      abstract: 'x',
      authors: ['A'],
      categories: ['cs.LG'],
      publishedAt: new Date().toISOString(),
    })),
  );
  const ctx = buildApp({ config, db, mailer: null });
  const tokens: string[] = [];
  for (let i = 0; i < USERS; i++) {
    await createUser(ctx, CLI_ACTOR, {
      username: `voter${i}`,
      email: `voter${i}@example.org`,
      password: 'bench password 123',
    });
    tokens.push((await createApiToken(ctx, CLI_ACTOR, { name: 'bench', scope: 'write', username: `voter${i}` })).token);
  }
  await db.close();
  return { env, tokens, arxivIds, cleanup };
}

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', ['dist/bench/http-server.js'], {
      // Rate limits off: every request comes from one loopback address.
      env: { ...withoutPort(process.env), ...env, RATE_LIMIT_VOTE: '0/0/1m', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (b: Buffer) => {
      const m = /ready (\d+)/.exec(b.toString());
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`bench:votes: server exited (${code})`)));
  });
}

async function run(seconds: number, users: number, step: (user: number) => Promise<number>): Promise<Phase> {
  const phase: Phase = { requests: 0, ok: 0, serverErrors: 0, otherErrors: 0, latencies: [] };
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: users }, async (_, u) => {
      while (Date.now() < end) {
        const t0 = performance.now();
        let status = 0;
        try {
          status = await step(u);
        } catch {
          status = -1;
        }
        phase.latencies.push(performance.now() - t0);
        phase.requests++;
        if (status >= 200 && status < 300) phase.ok++;
        else if (status >= 500 || status === -1) phase.serverErrors++;
        else phase.otherErrors++;
      }
    }),
  );
  phase.latencies.sort((a, b) => a - b);
  return phase;
}

async function main(): Promise<void> {
  if (!fs.existsSync('dist/bench/http-server.js'))
    throw new Error('bench:votes: run `npm run build` first (npm run bench:votes does)');
  console.log(
    `bench:votes — ${USERS} users, ${PAPERS} papers, ${DURATION_S} s on ${DB_KIND}; node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'})`,
  );
  const { env, tokens, arxivIds, cleanup } = await setup();
  const { child, port } = await startServer(env);
  const base = `http://127.0.0.1:${port}`;
  try {
    const baseline = await run(BASELINE_S, USERS, async (u) => {
      const r = await fetch(`${base}/api/whoami`, { headers: { authorization: `Bearer ${tokens[u]}` } });
      await r.arrayBuffer();
      return r.status;
    });
    // state[u][p]: whether user u's vote on paper p stands, by their last acknowledged request.
    const state = tokens.map(() => new Array<boolean>(PAPERS).fill(false));
    const votes = await run(DURATION_S, USERS, async (u) => {
      const p = Math.floor(Math.random() * PAPERS);
      const up = Math.random() < 0.5;
      const r = await fetch(`${base}/api/papers/${arxivIds[p]}/upvote`, {
        method: up ? 'POST' : 'DELETE',
        headers: { authorization: `Bearer ${tokens[u]}` },
      });
      const body = (await r.json()) as { voted?: boolean };
      if (r.status === 200) state[u][p] = body.voted === true;
      return r.status;
    });
    const expected = arxivIds.map((_, p) => state.reduce((n, s) => n + (s[p] ? 1 : 0), 0));
    const config = loadConfig({ ...process.env, ...env });
    const db = openDb(config.database);
    const rows = await db.kysely
      .selectFrom('papers')
      .select(['arxiv_id', 'upvotes'])
      .where('arxiv_id', 'in', arxivIds)
      .execute();
    const voteRows = await db.kysely
      .selectFrom('votes')
      .select((eb) => ['paper_id', eb.fn.countAll<number>().as('n')])
      .groupBy('paper_id')
      .execute();
    await db.close();
    const stored = new Map(rows.map((r) => [r.arxiv_id, r.upvotes]));
    const mismatches = arxivIds.filter((id, p) => stored.get(id) !== expected[p]);
    const totalExpected = expected.reduce((a, b) => a + b, 0);
    const totalRows = voteRows.reduce((a, r) => a + Number(r.n), 0);
    const line = (name: string, ph: Phase, secs: number) =>
      `| ${name} | ${ph.requests} | ${(ph.requests / secs).toFixed(0)} | ${pct(ph.latencies, 50).toFixed(1)} | ${pct(ph.latencies, 99).toFixed(1)} | ${ph.serverErrors} | ${ph.otherErrors} |`;
    console.log('\n| phase | requests | req/s | p50 ms | p99 ms | server errors | 4xx |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(line('baseline: GET /api/whoami (token check only)', baseline, BASELINE_S));
    console.log(line('votes: POST/DELETE /api/papers/:id/upvote', votes, DURATION_S));
    console.log(
      `\nfinal counts: ${totalExpected} acknowledged votes standing; papers.upvotes sum ${[...stored.values()].reduce((a, b) => a + b, 0)}; vote rows ${totalRows}; papers with a wrong count: ${mismatches.length}`,
    );
    const ok = votes.serverErrors === 0 && mismatches.length === 0 && totalRows === totalExpected;
    console.log(ok ? 'PASS: 0 server errors, every count equals the acknowledged votes' : 'FAIL');
    if (!ok) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

/** The server listens on a free port when PORT is unset (config rejects PORT=0). */
function withoutPort(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PORT: _port, ...rest } = env;
  return rest;
}

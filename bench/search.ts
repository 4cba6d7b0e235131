import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { type App, buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { type Db, openDb } from '../src/db/open.js';
import type { Database } from '../src/db/schema.js';
import { emptyRecord, type PaperRecord } from '../src/model/paper.js';
import { LsaEmbedder } from '../src/search/embedder.js';
import { type EngineMode, embedDocs, SearchEngine } from '../src/search/engine.js';
import { KeywordIndex } from '../src/search/keyword-index.js';
import { parseQuery } from '../src/search/query.js';
import type { IndexDoc } from '../src/search/segment.js';
import { tokenize } from '../src/search/tokenize.js';
import { VectorIndex } from '../src/search/vector-index.js';
import { searchIndexInfo, searchPapers, warmSearch } from '../src/services/search.js';
import { upsertPapers } from '../src/store/paper-store.js';
import { GENERATED_VOCABULARY, generatePapers, loadRealPapers, realVocabulary, rng, ZIPF_S } from './search-corpus.js';

/**
 * `npm run bench:search` — search speed at arXiv scale.
 *   1. the 74,728 real papers of ../shared/data/arxiv-listings (read from the JSONL directly);
 *   2. 1,000,000 generated papers whose words follow Zipf's law over the real vocabulary (so the
 *      most common words are real ones, e.g. "model", "learn", "data"), with a synthetic tail.
 * For each: build times, index size, peak memory, and p50/p99 latency of 200 queries of 1–3 words
 * of each kind (rare, mid, most common) in every mode, with SQLite FTS5 `ORDER BY bm25` (the naive
 * baseline) measured on the same documents and queries in the same run.
 * Then, per database: the papers loaded into a real paperboy database (SQLite, and PostgreSQL in a
 * fresh schema dropped afterwards) and the same keyword queries through the search service, as the
 * site runs them: the in-process index loaded from SQLite, the in-process index loaded from
 * PostgreSQL, and PostgreSQL's own full text (KEYWORD_SEARCH=database).
 *
 * Flags: --docs N (generated papers, default 1,000,000), --only real|generated, --no-fts,
 * --no-semantic, --databases real|all|none (which corpora get the database columns; default real:
 * loading a million papers into two databases would take longer than the rest of the run).
 * PostgreSQL: PAPERBOY_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test).
 */

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const GENERATED_DOCS = Number(flag('--docs') ?? 1_000_000);
const ONLY = flag('--only');
const WITH_FTS = !args.includes('--no-fts');
/** Keyword and FTS5 only: skips training, embedding and the HNSW graph (the slow half of a build). */
const WITH_SEMANTIC = !args.includes('--no-semantic');
/** Corpora measured through real databases: `real` (default), `all` or `none`. */
const DATABASES = flag('--databases') ?? 'real';
const PG_URL = process.env.PAPERBOY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Papers per upsert while loading a database: the importer's own transaction size. */
const LOAD_BATCH = 2000;
/** Queries per kind (rare / mid / common). */
const QUERIES_PER_KIND = 200;
/** Papers embedded and added to the graph at a time: the search service's page size. */
const BUILD_BATCH = 5000;
/** Results per query, as on a search page. */
const K = 10;

const MB = 1024 * 1024;
const mb = (b: number) => `${(b / MB).toFixed(0)} MB`;
const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** CPU time of this process (all threads), ms: unlike wall time it does not count waiting for a shared core. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** [result, wall ms, CPU ms]. */
function time<T>(fn: () => T): [T, number, number] {
  const t = performance.now();
  const c = cpuMs();
  const r = fn();
  return [r, performance.now() - t, cpuMs() - c];
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Query words of each kind by document frequency in the index being measured. */
function queryWords(index: KeywordIndex, vocabulary: string[]): Record<'rare' | 'mid' | 'common', string[]> {
  const seg = (index as unknown as { main: { termStart: Uint32Array } }).main;
  const withDf = vocabulary
    .map((w) => {
      const t = index.dict.terms.get(tokenize(w)[0] ?? '');
      return { w, df: t === undefined ? 0 : seg.termStart[t + 1] - seg.termStart[t] };
    })
    .filter((x) => x.df > 0)
    .sort((a, b) => b.df - a.df);
  // One surface word per index term.
  const seen = new Set<string>();
  const uniq = withDf.filter((x) => {
    const t = tokenize(x.w)[0];
    if (seen.has(t)) return false;
    seen.add(t);
    return true;
  });
  const n = index.size;
  return {
    common: uniq.slice(0, 50).map((x) => x.w),
    mid: uniq.filter((x) => x.df >= n * 0.001 && x.df <= n * 0.01).map((x) => x.w),
    rare: uniq.filter((x) => x.df >= 2 && x.df <= Math.max(5, n * 0.0001)).map((x) => x.w),
  };
}

function makeQueries(words: string[], seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < QUERIES_PER_KIND; i++) {
    const m = 1 + (i % 3);
    const q: string[] = [];
    for (let j = 0; j < m; j++) q.push(words[Math.floor(r() * words.length)]);
    out.push(q.join(' '));
  }
  return out;
}

interface Row {
  kind: string;
  mode: string;
  p50: number;
  p99: number;
  cpu50: number;
  cpu99: number;
}

/**
 * Latency of each query (awaited when it returns a promise). `serverCpuMs`, when given, adds the CPU
 * time the database server spent on the query (PostgreSQL runs in its own process).
 */
async function measure(
  fn: (q: string) => unknown,
  queries: string[],
  serverCpuMs?: () => number,
): Promise<Omit<Row, 'kind' | 'mode'>> {
  for (const q of queries.slice(0, 10)) await fn(q); // warm-up: JIT, caches
  const ms: number[] = [];
  const cpu: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    const c = cpuMs() + (serverCpuMs?.() ?? 0);
    await fn(q);
    cpu.push(cpuMs() + (serverCpuMs?.() ?? 0) - c);
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), cpu50: percentile(cpu, 50), cpu99: percentile(cpu, 99) };
}

function buildFts(docs: Iterable<IndexDoc>): { db: SqliteDatabase.Database; ms: number; cpu: number; file: string } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-fts-')), 'fts.db');
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const t = performance.now();
  const c = cpuMs();
  db.exec(`create virtual table fts using fts5(title, abstract, authors, tokenize = 'porter unicode61')`);
  const ins = db.prepare('insert into fts(rowid, title, abstract, authors) values (?, ?, ?, ?)');
  let batch: IndexDoc[] = [];
  const flush = db.transaction((b: IndexDoc[]) => {
    for (const d of b) ins.run(d.paperId, d.title, d.abstract, d.authors.join(', '));
  });
  for (const d of docs) {
    batch.push(d);
    if (batch.length === 10_000) {
      flush(batch);
      batch = [];
    }
  }
  flush(batch);
  return { db, ms: performance.now() - t, cpu: cpuMs() - c, file };
}

function ftsQuery(db: SqliteDatabase.Database): (q: string) => void {
  // Same weights as ours (title ×2), OR of the words as our engine ranks them; words quoted so no FTS operator leaks.
  const stmt = db.prepare(`select rowid from fts where fts match ? order by bm25(fts, 2.0, 1.0, 1.0) limit ${K}`);
  return (q) => {
    const expr = q
      .split(/\s+/)
      .filter(Boolean)
      .map((w) => `"${w.replace(/"/g, '')}"`)
      .join(' OR ');
    stmt.all(expr);
  };
}

interface Built {
  keyword: KeywordIndex;
  embedder: LsaEmbedder | null;
  vectors: VectorIndex;
  fts: ReturnType<typeof buildFts> | null;
  /** [wall ms, CPU ms] of each part. */
  times: Record<'keyword' | 'train' | 'embed' | 'graph', [number, number]>;
  /** Making the papers in memory, before the clocks start. */
  corpusMs: number;
}

/**
 * Every index over the papers. Generated papers are made once, before any clock starts (the builds
 * measure indexing, not the generator), and are not kept, so they do not weigh on the queries'
 * garbage collections.
 */
function buildAll(source: () => Iterable<IndexDoc>): Built {
  const [corpus, corpusMs] = time(() => {
    const papers = source();
    return Array.isArray(papers) ? (papers as IndexDoc[]) : [...papers];
  });
  const [keyword, keywordMs, keywordCpu] = time(() => KeywordIndex.build(corpus));
  const [embedder, trainMs, trainCpu] = WITH_SEMANTIC ? time(() => LsaEmbedder.train(corpus)) : [null, 0, 0];
  const vectors = new VectorIndex(embedder?.dimensions ?? 1);
  const embed: [number, number] = [0, 0];
  const graph: [number, number] = [0, 0];
  // As embedInto, with the embedding and the graph insertion timed apart.
  for (let start = 0; embedder && start < corpus.length; start += BUILD_BATCH) {
    const [batch, ms, cpu] = time(() => embedDocs(embedder, corpus.slice(start, start + BUILD_BATCH)));
    const [, gms, gcpu] = time(() => vectors.addBatch(batch.ids, batch.flat));
    embed[0] += ms;
    embed[1] += cpu;
    graph[0] += gms;
    graph[1] += gcpu;
  }
  const fts = WITH_FTS ? buildFts(corpus) : null;
  return {
    keyword,
    embedder,
    vectors,
    fts,
    corpusMs,
    times: { keyword: [keywordMs, keywordCpu], train: [trainMs, trainCpu], embed, graph },
  };
}

async function run(
  label: string,
  source: () => Iterable<IndexDoc>,
  vocabulary: string[],
  count: number,
  withDatabases: boolean,
): Promise<void> {
  console.log(`\n## ${label}: ${count.toLocaleString('en')} papers\n`);
  const rssBefore = process.memoryUsage().rss;
  const { keyword, embedder, vectors, fts, times, corpusMs } = buildAll(source);
  const engine = new SearchEngine(keyword, embedder ? { embedder, vectors } : null);
  const words = queryWords(keyword, vocabulary);
  const queries = {
    rare: makeQueries(words.rare, 11),
    mid: makeQueries(words.mid, 12),
    common: makeQueries(words.common, 13),
  };
  const rows: Row[] = [];
  for (const kind of ['rare', 'mid', 'common'] as const) {
    const qs = queries[kind];
    if (fts) rows.push({ kind, mode: 'FTS5 ORDER BY bm25 (baseline)', ...(await measure(ftsQuery(fts.db), qs)) });
    for (const mode of (WITH_SEMANTIC ? ['keyword', 'semantic', 'hybrid'] : ['keyword']) as EngineMode[]) {
      rows.push({ kind, mode, ...(await measure((q) => engine.search(parseQuery(q), mode, K), qs)) });
    }
    const terms = (q: string) => ({ terms: new Map(tokenize(q).map((t) => [t, 1])) });
    rows.push({
      kind,
      mode: 'keyword, pruning only (MaxScore, block-max)',
      ...(await measure((q) => keyword.search(terms(q), K, { strategy: 'prune' }), qs)),
    });
    rows.push({
      kind,
      mode: 'keyword, accumulation only (term at a time)',
      ...(await measure((q) => keyword.search(terms(q), K, { strategy: 'accumulate' }), qs)),
    });
    rows.push({
      kind,
      mode: 'keyword, no pruning (same engine)',
      ...(await measure((q) => keyword.search(terms(q), K, { strategy: 'exhaustive' }), qs)),
    });
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`| build | wall time | CPU time (all threads) |\n|---|---|---|`);
  const part = (name: string, [ms, cpu]: [number, number]) => console.log(`| ${name} | ${sec(ms)} | ${sec(cpu)} |`);
  part('keyword index (tokenise, BM25F impacts, postings)', times.keyword);
  if (embedder) {
    part(
      `LSA model (${embedder.dimensions}d, ${embedder.vocabularySize.toLocaleString('en')} words, ≤50k papers sampled)`,
      times.train,
    );
    part('embed every paper (SIF pooling)', times.embed);
    part('HNSW graph (usearch, both cores)', times.graph);
  }
  if (fts) part('SQLite FTS5 table (baseline)', [fts.ms, fts.cpu]);
  const total = Object.values(times).reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0]);
  console.log(`| **total (ours)** | **${sec(total[0])}** | **${sec(total[1])}** |`);
  console.log(`\n(papers made in memory first, not counted: ${sec(corpusMs)})`);
  console.log(`\n| size | |\n|---|---|`);
  console.log(`| keyword index in memory | ${mb(keyword.bytes())} |`);
  console.log(`| vectors + HNSW graph | ${mb(vectors.bytes())} |`);
  if (fts) console.log(`| FTS5 database file | ${mb(fs.statSync(fts.file).size)} |`);
  console.log(`| process peak RSS (whole run) | ${mb(peak)} (was ${mb(rssBefore)} before this corpus) |`);
  console.log(
    `\nquery words: ${words.rare.length} rare (df ≤ max(5, 0.01%)), ${words.mid.length} mid (0.1–1%), 50 most common; e.g. common: ${words.common.slice(0, 8).join(', ')}\n`,
  );
  console.log('| query words | mode | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.kind} | ${r.mode} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpu50.toFixed(2)} | ${r.cpu99.toFixed(2)} |`,
    );
  const base = rows.filter((r) => r.mode.startsWith('FTS5'));
  if (base.length > 0) {
    console.log(
      '\n| query words | FTS5 ÷ keyword, wall p99 | FTS5 ÷ keyword, CPU p99 | FTS5 ÷ hybrid, CPU p99 | no pruning ÷ engine, CPU p99 |\n|---|---|---|---|---|',
    );
    for (const b of base) {
      const kw = rows.find((r) => r.kind === b.kind && r.mode === 'keyword')!;
      const hy = rows.find((r) => r.kind === b.kind && r.mode === 'hybrid') ?? { cpu99: NaN };
      const np = rows.find((r) => r.kind === b.kind && r.mode.startsWith('keyword, no pruning'))!;
      const x = (a: number, b: number) => `${(a / Math.max(b, 0.001)).toFixed(1)}×`;
      console.log(
        `| ${b.kind} | ${x(b.p99, kw.p99)} | ${x(b.cpu99, kw.cpu99)} | ${x(b.cpu99, hy.cpu99)} | ${x(np.cpu99, kw.cpu99)} |`,
      );
    }
  }
  if (fts) {
    fts.db.close();
    fs.rmSync(path.dirname(fts.file), { recursive: true, force: true });
  }
  if (withDatabases) await runDatabases(source, count, queries);
}

interface BenchDb {
  name: 'SQLite' | 'PostgreSQL';
  db: Db;
  databaseUrl: string;
  /** PostgreSQL: the one server process serving this connection (its CPU time is read from /proc). */
  backendPid?: number;
  sizes(): Promise<Array<[string, number]>>;
  drop(): Promise<void>;
}

async function sqliteBenchDb(): Promise<BenchDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-bench-search-'));
  const file = path.join(dir, 'bench.db');
  const db = openDb({ kind: 'sqlite', file });
  await migrateToLatest(db);
  return {
    name: 'SQLite',
    db,
    databaseUrl: file,
    sizes: async () => [['database file', fs.statSync(file).size]],
    drop: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * PostgreSQL in a fresh schema, through one connection: every query then runs in one server
 * process, whose CPU time can be read per query (the server's work is not in this process's CPU).
 */
async function postgresBenchDb(): Promise<BenchDb> {
  const schema = `bench_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1, options: `-c search_path=${schema}` });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const db: Db = {
    kysely,
    dialect: 'postgres',
    schema,
    events: { onQuery: null, onBusyWait: null },
    writerTurns: null,
    poolStats: () => null,
    close: () => kysely.destroy(),
  };
  await migrateToLatest(db);
  const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(kysely)).rows[0].pid;
  return {
    name: 'PostgreSQL',
    db,
    databaseUrl: PG_URL,
    backendPid: pid,
    sizes: async () => {
      const r = await sql<{
        papers: number;
        search: number;
        gin: number;
      }>`select pg_total_relation_size('papers') as papers, pg_total_relation_size('paper_search') as search, pg_relation_size('paper_search_gin') as gin`.execute(
        kysely,
      );
      const { papers, search, gin } = r.rows[0];
      return [
        ['papers table with its indexes', Number(papers)],
        ['paper_search (full-text documents) with its indexes', Number(search)],
        ['of which the GIN index', Number(gin)],
      ];
    },
    drop: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/** CPU time of another process on this machine, ms (from /proc/PID/schedstat, in nanoseconds); 0 when unreadable. */
function processCpuMs(pid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return 0;
  }
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<[T, number, number]> {
  const t = performance.now();
  const c = cpuMs();
  const r = await fn();
  return [r, performance.now() - t, cpuMs() - c];
}

/** The papers as the importer writes them: every field the search reads (org, code, dates, authors). */
async function loadPapers(db: Db, docs: Iterable<IndexDoc>): Promise<void> {
  let batch: PaperRecord[] = [];
  for (const d of docs) {
    batch.push({
      ...emptyRecord(`bench-${d.paperId}`),
      title: d.title,
      abstract: d.abstract,
      authors: d.authors,
      categories: d.categories,
      publishedAt: d.publishedAt,
      githubRepo: d.hasCode ? `https://github.com/bench/p${d.paperId}` : null,
      organizationName: d.org,
    });
    if (batch.length === LOAD_BATCH) {
      await upsertPapers(db, batch);
      batch = [];
    }
  }
  await upsertPapers(db, batch);
}

function appOn(b: BenchDb, keywordSearch: 'index' | 'database'): App {
  return buildApp({ config: loadConfig({ DATABASE_URL: b.databaseUrl, KEYWORD_SEARCH: keywordSearch }), db: b.db });
}

/**
 * The same keyword queries through the search service (refresh check, ranking, highlights) on real
 * databases: the in-process index loaded from SQLite and from PostgreSQL, and PostgreSQL's own
 * full text. Also: how often the two PostgreSQL backends agree on the top 10.
 */
async function runDatabases(
  docs: () => Iterable<IndexDoc>,
  count: number,
  queries: Record<'rare' | 'mid' | 'common', string[]>,
): Promise<void> {
  console.log(`
### The same keyword queries through the search service, on SQLite and PostgreSQL (${count.toLocaleString('en')} papers)
`);
  const builds: string[] = [];
  const sizes: string[] = [];
  const columns = new Map<string, Map<string, Omit<Row, 'kind' | 'mode'>>>();
  const topIds = new Map<string, Map<string, number[]>>();
  for (const open of [sqliteBenchDb, postgresBenchDb]) {
    const b = await open();
    try {
      const [, loadMs, loadCpu] = await timeAsync(() => loadPapers(b.db, docs()));
      builds.push(
        `| load the papers into ${b.name} (upsertPapers, ${LOAD_BATCH} a transaction) | ${sec(loadMs)} | ${sec(loadCpu)}${b.backendPid ? ' (this process only)' : ''} |`,
      );
      const serverCpu = b.backendPid ? () => processCpuMs(b.backendPid!) : undefined;
      for (const backend of b.name === 'PostgreSQL' ? (['index', 'database'] as const) : (['index'] as const)) {
        const app = appOn(b, backend);
        const column = `${b.name}, ${backend === 'index' ? 'in-process index' : 'database full text'}`;
        const [, buildMs, buildCpu] = await timeAsync(() => warmSearch(app, { semantic: false }));
        const info = await searchIndexInfo(app);
        if (backend === 'index')
          builds.push(
            `| keyword index built from ${b.name} (read, tokenise, postings) | ${sec(buildMs)} | ${sec(buildCpu)} |`,
          );
        sizes.push(`| keyword index held in the process, ${column} | ${mb(info.keywordBytes)} |`);
        const byKind = new Map<string, Omit<Row, 'kind' | 'mode'>>();
        const ids = new Map<string, number[]>();
        for (const kind of ['rare', 'mid', 'common'] as const) {
          const search = async (q: string) => {
            const r = await searchPapers(app, { q, mode: 'keyword', limit: K, offset: 0 });
            ids.set(
              q,
              r.hits.map((h) => h.paperId),
            );
          };
          byKind.set(kind, await measure(search, queries[kind], serverCpu));
        }
        columns.set(column, byKind);
        topIds.set(column, ids);
      }
      for (const [what, bytes] of await b.sizes()) sizes.push(`| ${b.name}: ${what} | ${mb(bytes)} |`);
    } finally {
      await b.drop();
    }
  }
  console.log('| build | wall time | CPU time |\n|---|---|---|');
  for (const line of builds) console.log(line);
  console.log('\n| size | |\n|---|---|');
  for (const line of sizes) console.log(line);
  const names = [...columns.keys()];
  console.log(
    `\nmode keyword, k = ${K}, through searchPapers (highlights included). CPU = this process, plus the PostgreSQL server process for PostgreSQL columns.\n`,
  );
  console.log(`| query words | ${names.map((n) => `${n}: wall p50 / p99 ms | ${n}: CPU p50 / p99 ms`).join(' | ')} |`);
  console.log(`|---|${names.map(() => '---|---|').join('')}`);
  const f = (x: number) => x.toFixed(2);
  for (const kind of ['rare', 'mid', 'common']) {
    const cells = names.map((n) => {
      const r = columns.get(n)!.get(kind)!;
      return `${f(r.p50)} / ${f(r.p99)} | ${f(r.cpu50)} / ${f(r.cpu99)}`;
    });
    console.log(`| ${kind} | ${cells.join(' | ')} |`);
  }
  // Same papers on top? Tokenisers and ranking formulas differ (Porter + BM25F vs Snowball + ts_rank_cd).
  const a = topIds.get('PostgreSQL, in-process index');
  const b = topIds.get('PostgreSQL, database full text');
  if (a && b) {
    console.log('\n| query words | top-10 overlap, database full text vs in-process index (mean) |\n|---|---|');
    for (const kind of ['rare', 'mid', 'common'] as const) {
      const overlaps = queries[kind].map((q) => {
        const x = new Set(a.get(q) ?? []);
        const y = b.get(q) ?? [];
        return x.size === 0 && y.length === 0 ? 1 : y.filter((id) => x.has(id)).length / Math.max(x.size, y.length, 1);
      });
      console.log(`| ${kind} | ${((100 * overlaps.reduce((s, v) => s + v, 0)) / overlaps.length).toFixed(0)} % |`);
    }
  }
}

console.log(
  `# bench:search — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())} RAM, Node ${process.version}`,
);
const real = loadRealPapers();
const vocabulary = realVocabulary(real);
if (ONLY !== 'generated') await run('Real arXiv papers', () => real, vocabulary, real.length, DATABASES !== 'none');
if (ONLY !== 'real') {
  const label = `Generated papers (Zipf s=${ZIPF_S}, ${GENERATED_VOCABULARY.toLocaleString('en')}-word vocabulary)`;
  await run(label, () => generatePapers(GENERATED_DOCS, vocabulary), vocabulary, GENERATED_DOCS, DATABASES === 'all');
}

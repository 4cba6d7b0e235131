import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { LsaEmbedder } from '../src/search/embedder.js';
import { type EngineMode, SearchEngine, embedInto } from '../src/search/engine.js';
import { KeywordIndex } from '../src/search/keyword-index.js';
import { parseQuery } from '../src/search/query.js';
import type { IndexDoc } from '../src/search/segment.js';
import { tokenize } from '../src/search/tokenize.js';
import { VectorIndex } from '../src/search/vector-index.js';

/**
 * `npm run bench:search` — search speed at arXiv scale.
 *   1. the 74,728 real papers of ../shared/data/arxiv-listings (read from the JSONL directly);
 *   2. 1,000,000 generated papers whose words follow Zipf's law over the real vocabulary (so the
 *      most common words are real ones, e.g. "model", "learn", "data"), with a synthetic tail.
 * For each: build times, index size, peak memory, and p50/p99 latency of 200 queries of 1–3 words
 * of each kind (rare, mid, most common) in every mode, with SQLite FTS5 `ORDER BY bm25` (the naive
 * baseline) measured on the same documents and queries in the same run.
 *
 * Flags: --docs N (generated papers, default 1,000,000), --only real|generated, --no-fts.
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
/** Queries per kind (rare / mid / common). */
const QUERIES_PER_KIND = 200;
/** Results per query, as on a search page. */
const K = 10;
/** Zipf exponent of generated text: ≈1 for English word frequencies. */
const ZIPF_S = 1.0;
/** Vocabulary of the generated corpus: the real words plus synthetic ones (Heaps' law: a larger corpus has more distinct words). */
const GENERATED_VOCABULARY = 300_000;
const TITLE_WORDS = [6, 14];
const ABSTRACT_WORDS = [100, 200];
const SHARED = path.resolve(process.env.PAPERBOY_SHARED_DATA ?? '../shared/data');

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

/** Deterministic PRNG (mulberry32) so every run asks the same queries of the same corpus. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function loadRealPapers(): IndexDoc[] {
  let dir = path.join(os.tmpdir(), 'paperboy-bench-listings');
  if (!fs.existsSync(path.join(dir, 'dd'))) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['--zstd', '-xf', path.join(SHARED, 'arxiv-listings/daily-arXiv-ai-enhanced_data-branch_410days.tar.zst'), '-C', dir]);
  }
  dir = path.join(dir, 'dd');
  const byId = new Map<string, { title: string; summary: string; authors: string[]; categories: string[]; day: string }>();
  for (const f of fs.readdirSync(dir).sort()) {
    const day = f.slice(0, 10);
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line);
        if (!byId.has(r.id)) byId.set(r.id, { title: r.title ?? '', summary: r.summary ?? '', authors: r.authors ?? [], categories: r.categories ?? [], day });
      } catch {
        /* a broken line is skipped: the benchmark measures speed, not import */
      }
    }
  }
  let id = 0;
  return [...byId.values()].map((r) => ({
    paperId: ++id,
    title: r.title,
    abstract: r.summary,
    authors: r.authors,
    categories: r.categories,
    org: null,
    publishedAt: r.day,
    hasCode: false,
  }));
}

/** Words of the real corpus by frequency (surface forms, so generated text tokenises like real text). */
function realVocabulary(docs: IndexDoc[]): string[] {
  const counts = new Map<string, number>();
  for (const d of docs) for (const w of `${d.title} ${d.abstract}`.toLowerCase().match(/\p{L}[\p{L}\p{N}]*/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts.entries()].filter(([w]) => tokenize(w).length === 1).sort((a, b) => b[1] - a[1]).map(([w]) => w);
}

function* generatePapers(n: number, real: string[]): Generator<IndexDoc> {
  const r = rng(1);
  const vocab = real.slice(0, GENERATED_VOCABULARY);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'qu', 'ph', 'tr'];
  while (vocab.length < GENERATED_VOCABULARY) {
    let w = '';
    for (let i = 0, m = 3 + (vocab.length % 3); i < m; i++) w += syllables[Math.floor(r() * syllables.length)];
    vocab.push(`${w}${vocab.length}`);
  }
  const cdf = new Float64Array(vocab.length);
  let acc = 0;
  for (let i = 0; i < vocab.length; i++) cdf[i] = acc += 1 / (i + 1) ** ZIPF_S;
  const word = () => {
    const x = r() * acc;
    let lo = 0;
    let hi = vocab.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo];
  };
  const words = (range: number[]) => {
    const m = range[0] + Math.floor(r() * (range[1] - range[0]));
    const out: string[] = [];
    for (let i = 0; i < m; i++) out.push(word());
    return out.join(' ');
  };
  const cats = ['cs.CL', 'cs.CV', 'cs.LG', 'cs.AI', 'stat.ML', 'math.OC', 'physics.optics', 'q-bio.NC'];
  for (let i = 1; i <= n; i++) {
    yield {
      paperId: i,
      title: words(TITLE_WORDS),
      abstract: words(ABSTRACT_WORDS),
      authors: [`Author ${Math.floor(r() * 200_000)}`, `Author ${Math.floor(r() * 200_000)}`],
      categories: [cats[Math.floor(r() * cats.length)]],
      org: null,
      publishedAt: `2025-${String(1 + (i % 12)).padStart(2, '0')}-01`,
      hasCode: r() < 0.2,
    };
  }
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

function measure(fn: (q: string) => void, queries: string[]): Omit<Row, 'kind' | 'mode'> {
  for (const q of queries.slice(0, 10)) fn(q); // warm-up: JIT, caches
  const ms: number[] = [];
  const cpu: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    const c = cpuMs();
    fn(q);
    cpu.push(cpuMs() - c);
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
    const expr = q.split(/\s+/).filter(Boolean).map((w) => `"${w.replace(/"/g, '')}"`).join(' OR ');
    stmt.all(expr);
  };
}

function run(label: string, docs: () => Iterable<IndexDoc>, vocabulary: string[], count: number): void {
  console.log(`\n## ${label}: ${count.toLocaleString('en')} papers\n`);
  const rssBefore = process.memoryUsage().rss;
  const [keyword, keywordMs, keywordCpu] = time(() => KeywordIndex.build(docs()));
  const [embedder, trainMs, trainCpu] = WITH_SEMANTIC ? time(() => LsaEmbedder.train(docs())) : [null, 0, 0];
  const vectors = new VectorIndex(embedder?.dimensions ?? 1);
  const engine = new SearchEngine(keyword, embedder ? { embedder, vectors } : null);
  const EMBED_BATCH = 10_000;
  const [, embedMs, embedCpu] = time(() => {
    if (!WITH_SEMANTIC) return;
    let batch: IndexDoc[] = [];
    for (const d of docs()) {
      batch.push(d);
      if (batch.length === EMBED_BATCH) {
        embedInto(engine.semantic!, batch);
        batch = [];
      }
    }
    embedInto(engine.semantic!, batch);
  });
  const words = queryWords(keyword, vocabulary);
  const queries = { rare: makeQueries(words.rare, 11), mid: makeQueries(words.mid, 12), common: makeQueries(words.common, 13) };
  const rows: Row[] = [];
  let fts: ReturnType<typeof buildFts> | null = null;
  if (WITH_FTS) fts = buildFts(docs());
  for (const kind of ['rare', 'mid', 'common'] as const) {
    const qs = queries[kind];
    if (fts) rows.push({ kind, mode: 'FTS5 ORDER BY bm25 (baseline)', ...measure(ftsQuery(fts.db), qs) });
    for (const mode of (WITH_SEMANTIC ? ['keyword', 'semantic', 'hybrid'] : ['keyword']) as EngineMode[]) {
      rows.push({ kind, mode, ...measure((q) => engine.search(parseQuery(q), mode, K), qs) });
    }
    rows.push({ kind, mode: 'keyword, no pruning (same engine)', ...measure((q) => keyword.search({ terms: new Map(tokenize(q).map((t) => [t, 1])) }, K, { prune: false }), qs) });
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(`| build | wall time | CPU time (all threads) |\n|---|---|---|`);
  console.log(`| keyword index (tokenise, BM25F impacts, postings) | ${sec(keywordMs)} | ${sec(keywordCpu)} |`);
  if (embedder) {
    console.log(`| LSA model (${embedder.dimensions}d, ${embedder.vocabularySize.toLocaleString('en')} words, ≤50k papers sampled) | ${sec(trainMs)} | ${sec(trainCpu)} |`);
    console.log(`| embed every paper + HNSW graph (usearch) | ${sec(embedMs)} | ${sec(embedCpu)} |`);
  }
  if (fts) console.log(`| SQLite FTS5 table (baseline) | ${sec(fts.ms)} | ${sec(fts.cpu)} |`);
  console.log(`| **total (ours)** | **${sec(keywordMs + trainMs + embedMs)}** | **${sec(keywordCpu + trainCpu + embedCpu)}** |`);
  console.log(`\n| size | |\n|---|---|`);
  console.log(`| keyword index in memory | ${mb(keyword.bytes())} |`);
  console.log(`| vectors + HNSW graph | ${mb(vectors.bytes())} |`);
  if (fts) console.log(`| FTS5 database file | ${mb(fs.statSync(fts.file).size)} |`);
  console.log(`| process peak RSS (whole run) | ${mb(peak)} (was ${mb(rssBefore)} before this corpus) |`);
  console.log(`\nquery words: ${words.rare.length} rare (df ≤ max(5, 0.01%)), ${words.mid.length} mid (0.1–1%), 50 most common; e.g. common: ${words.common.slice(0, 8).join(', ')}\n`);
  console.log('| query words | mode | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.kind} | ${r.mode} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpu50.toFixed(2)} | ${r.cpu99.toFixed(2)} |`);
  const base = rows.filter((r) => r.mode.startsWith('FTS5'));
  if (base.length > 0) {
    console.log('\n| query words | FTS5 ÷ keyword, wall p99 | FTS5 ÷ keyword, CPU p99 | FTS5 ÷ hybrid, CPU p99 | no pruning ÷ pruning, CPU p99 |\n|---|---|---|---|---|');
    for (const b of base) {
      const kw = rows.find((r) => r.kind === b.kind && r.mode === 'keyword')!;
      const hy = rows.find((r) => r.kind === b.kind && r.mode === 'hybrid') ?? { cpu99: NaN };
      const np = rows.find((r) => r.kind === b.kind && r.mode.startsWith('keyword, no pruning'))!;
      const x = (a: number, b: number) => `${(a / Math.max(b, 0.001)).toFixed(1)}×`;
      console.log(`| ${b.kind} | ${x(b.p99, kw.p99)} | ${x(b.cpu99, kw.cpu99)} | ${x(b.cpu99, hy.cpu99)} | ${x(np.cpu99, kw.cpu99)} |`);
    }
  }
  if (fts) {
    fts.db.close();
    fs.rmSync(path.dirname(fts.file), { recursive: true, force: true });
  }
}

console.log(`# bench:search — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${mb(os.totalmem())} RAM, Node ${process.version}`);
const real = loadRealPapers();
const vocabulary = realVocabulary(real);
if (ONLY !== 'generated') run('Real arXiv papers', () => real, vocabulary, real.length);
if (ONLY !== 'real') {
  run(`Generated papers (Zipf s=${ZIPF_S}, ${GENERATED_VOCABULARY.toLocaleString('en')}-word vocabulary)`, () => generatePapers(GENERATED_DOCS, vocabulary), vocabulary, GENERATED_DOCS);
}

import fs from 'node:fs';
import type { App } from '../app.js';
import type { KeywordSearchBackend } from '../config/config.js';
import type { Db } from '../db/open.js';
import { Pacer } from '../lib/turns.js';
import {
  type Embedder,
  LSA_MAX_TRAIN_DOCS,
  LsaEmbedder,
  vectorFromBase64,
  vectorToBase64,
} from '../search/embedder.js';
import { type EngineMode, embedInto, SearchEngine, type Semantic } from '../search/engine.js';
import { highlight, SNIPPET_CHARS } from '../search/highlight.js';
import { KeywordIndex, MAX_DELTA_DOCS } from '../search/keyword-index.js';
import { parseQuery, type QueryFilters } from '../search/query.js';
import type { IndexDoc } from '../search/segment.js';
import { tokenize } from '../search/tokenize.js';
import { VectorIndex } from '../search/vector-index.js';
import { paperIdsWithFact } from '../store/fact-store.js';
import type { PaperFilters } from '../store/paper-search-store.js';
import { pgFulltextRanker } from '../store/pg-fulltext-store.js';
import {
  allPaperIds,
  countModifiedAt,
  deleteAllPaperVectors,
  deleteSearchModel,
  type IndexDocRow,
  indexDocsByIds,
  indexDocsChangedAfter,
  indexDocsPage,
  latestModification,
  loadSearchModel,
  paperChangeMark,
  paperTexts,
  paperVectorsPage,
  savePaperVectors,
  saveSearchModel,
} from '../store/search-store.js';

/**
 * The one search interface that the pages, the API, the CLI and the digests call.
 *
 * The engine lives in this process: a keyword ranker — the in-process index (BM25F, pruned top-k)
 * built from the papers on first use, or with KEYWORD_SEARCH=database PostgreSQL's full-text search,
 * which holds nothing here — and, on first semantic, hybrid or similar-papers request, an embedder
 * and the paper vectors (stored in paper_vectors, so only new papers are embedded after a restart).
 * Before serving, it picks up papers modified since it last looked (papers.modified_at) and,
 * every DELETE_CHECK_INTERVAL_MS, papers deleted since.
 */
export type SearchMode = 'keyword' | 'semantic' | 'hybrid';
export type SearchFilters = PaperFilters & { authors?: string[] };

interface SearchRequest {
  q: string;
  mode?: SearchMode;
  filters?: SearchFilters;
  limit: number;
  offset: number;
  /**
   * Hybrid only: wait for the semantic index when it is still being built (the CLI does). By
   * default a hybrid search served while it builds gets keyword results and a note, so the first
   * search on a new site is not held up by training the model.
   */
  waitForSemantic?: boolean;
}

interface SearchHit {
  paperId: number;
  score: number;
  /** HTML-escaped snippets with matches wrapped in <mark>…</mark>, when the engine has them. */
  highlights?: { title?: string; abstract?: string };
}

interface SearchResult {
  hits: SearchHit[];
  total: number;
  /** Notes for the reader, e.g. how a malformed query was understood. */
  notes: string[];
  mode: SearchMode;
  /** True when `total` is an estimate (pruned retrieval does not count every match). */
  totalIsEstimate?: boolean;
}

export const DEFAULT_SEARCH_MODE: SearchMode = 'hybrid';
/** Results per page at most: more only costs time nobody reads. */
export const MAX_SEARCH_LIMIT = 100;
/** Deepest result reachable by paging; beyond it people refine the query. */
const MAX_SEARCH_OFFSET = 1000;
/** Candidates fetched per wanted result when a query has exact phrases (they are checked against the text). */
const PHRASE_OVERFETCH = 5;
/** Papers read per page while building (bounded memory per round trip). */
const BUILD_PAGE_SIZE = 5000;
/** How often a search also checks for deleted papers (a count and, if it moved, an id scan). */
const DELETE_CHECK_INTERVAL_MS = 10_000;
/**
 * Changed papers read and applied per step of a refresh (an import brings hundreds of thousands).
 * Reading them is one synchronous SQLite query: 1,000 took ~25 ms of the event loop, 200 ~5 ms.
 */
const REFRESH_PAGE_DOCS = 200;
/**
 * How long a search waits for a refresh already under way before it answers from the index as it
 * is; a refresh catching up with an import runs for minutes, and nobody should wait for that.
 */
const SEARCH_REFRESH_WAIT_MS = 1000;
/** The rebuild past MAX_DELTA_DOCS also waits until the delta holds this share of the main segment's papers. */
const REBUILD_DELTA_SHARE = 0.5;
/** Changed papers embedded before the refresh returns: a site's own edits show at once. */
const SEMANTIC_INLINE_DOCS = 20;
/** Papers whose vectors are stored in one write transaction when catching up in the background. */
const SEMANTIC_SAVE_DOCS = 100;
/** Papers embedded between two of the pacer's turns (~0.1–0.3 ms each). */
const SEMANTIC_STEP_DOCS = 8;
/**
 * The share of the event loop's time that catching up with changes may take, all of it together
 * (keyword deltas and their merges, rebuilds beside the served index, embedding and HNSW inserts);
 * the rest is left to requests. New papers are found when their turn comes. In bench:mixed, an
 * import beside traffic had the catch-up take most of the web process (BENCHMARKS.md).
 */
const SEARCH_BACKGROUND_SHARE = 0.25;
/** The longest the catch-up holds the event loop at a time: what a request (or /healthz) may wait behind it. */
const SEARCH_BACKGROUND_SLICE_MS = 5;
const LSA_MODEL_NAME = 'lsa';

/** The papers this process holds in memory, to notice the ones deleted or missed: the keyword index answers for its own. */
interface HeldPapers {
  readonly size: number;
  has(paperId: number): boolean;
  paperIds(): Iterable<number>;
}

/** With the database backend, the ids behind the vectors (including papers the embedder could not embed). */
class PaperIdSet implements HeldPapers {
  private ids = new Set<number>();
  get size(): number {
    return this.ids.size;
  }
  has(id: number): boolean {
    return this.ids.has(id);
  }
  paperIds(): Iterable<number> {
    return this.ids;
  }
  add(ids: Iterable<number>): void {
    for (const id of ids) this.ids.add(id);
  }
  remove(ids: Iterable<number>): void {
    for (const id of ids) this.ids.delete(id);
  }
  reset(ids: Iterable<number>): void {
    this.ids = new Set(ids);
  }
}

interface EngineState {
  engine: SearchEngine;
  /** The in-process keyword index; null when PostgreSQL ranks keyword queries (KEYWORD_SEARCH=database). */
  keyword: KeywordIndex | null;
  /** Papers held in memory: the keyword index, or (database backend) the ids the semantic index has seen. */
  held: HeldPapers;
  /** Latest papers.modified_at the index has seen, and how many papers carried exactly that time. */
  watermark: string | null;
  atWatermark: number;
  lastDeleteCheck: number;
  refreshing: Promise<void> | null;
  semantic: Promise<void> | null;
  buildMs: number;
  /** A whole-index rebuild under way beside the served index, and its result until a refresh takes it. */
  rebuilding: Promise<void> | null;
  rebuilt: EngineState | null;
  /** Changed papers waiting for their vectors (newest copy), and the background loop embedding them. */
  pendingVectors: Map<number, IndexDoc>;
  embedding: Promise<void> | null;
  /**
   * After a rebuild is swapped in, the changes since it began pass by again for the keyword index;
   * those stamped before this time already had their vectors queued, and are not embedded again.
   */
  vectorsQueuedBefore: string | null;
}

/**
 * The search engine of one process (App.search): built on first use, rebuilt by `index rebuild`.
 * `embedder` replaces the trained LSA model (e.g. a local ONNX sentence model).
 */
export class SearchState {
  engine: Promise<EngineState> | null = null;
  /** Paces every background catch-up of this process's indexes (SEARCH_BACKGROUND_SHARE). */
  readonly pacer = new Pacer(SEARCH_BACKGROUND_SHARE, SEARCH_BACKGROUND_SLICE_MS);
  embedder: Embedder | null = null;
  /** When the current engine finished building (null: not built, or building); for /readyz. */
  loadedAt: Date | null = null;
  /** Why the last build failed (null when it did not). */
  lastError: string | null = null;
}

/** Use another embedder (e.g. a local ONNX sentence model) instead of the trained LSA model. */
export function setEmbedder(app: App, embedder: Embedder): void {
  app.search.embedder = embedder;
  const s = app.search.engine;
  if (s)
    void s.then((st) => {
      st.engine.semantic = null;
      st.semantic = null;
    });
}

async function* docPages(db: Db, onRow?: (r: IndexDocRow) => void): AsyncGenerator<IndexDoc[]> {
  let after = 0;
  for (;;) {
    const page = await indexDocsPage(db, after, BUILD_PAGE_SIZE);
    if (page.length === 0) return;
    if (onRow) for (const r of page) onRow(r);
    yield page;
    after = page[page.length - 1].paperId;
  }
}

/** True when PostgreSQL ranks keyword queries and this process holds no keyword index. */
function usesDatabaseKeywordSearch(app: App): boolean {
  return app.config.keywordSearch === 'database';
}

function inProcessState(
  keyword: KeywordIndex,
  watermark: string | null,
  atWatermark: number,
  lastDeleteCheck: number,
  buildMs: number,
): EngineState {
  return {
    engine: new SearchEngine(keyword),
    keyword,
    held: keyword,
    watermark,
    atWatermark,
    lastDeleteCheck,
    refreshing: null,
    semantic: null,
    buildMs,
    rebuilding: null,
    rebuilt: null,
    pendingVectors: new Map(),
    embedding: null,
    vectorsQueuedBefore: null,
  };
}

/**
 * The engine, built from the database (or the snapshot). `sliced` builds beside a served index:
 * the event loop gets a turn between slices of papers, and the watermark is the newest change when
 * the build began (a change during the build is applied again by the next refresh, never missed).
 */
async function buildState(app: App, useSnapshot = true, sliced = false): Promise<EngineState> {
  const started = performance.now();
  if (usesDatabaseKeywordSearch(app)) {
    // Nothing to build: PostgreSQL answers keyword queries live. The semantic index, when built,
    // starts watching for changes from that moment (see ensureSemantic).
    return {
      engine: new SearchEngine(pgFulltextRanker(app.db)),
      keyword: null,
      held: new PaperIdSet(),
      watermark: null,
      atWatermark: 0,
      lastDeleteCheck: Date.now(),
      refreshing: null,
      semantic: null,
      buildMs: 0,
      rebuilding: null,
      rebuilt: null,
      pendingVectors: new Map(),
      embedding: null,
      vectorsQueuedBefore: null,
    };
  }
  const loaded = useSnapshot ? loadSnapshot(app) : null;
  if (loaded) {
    // Caught up by the first refresh: changes since the watermark, and a forced deletion check.
    return inProcessState(loaded.index, loaded.watermark, loaded.atWatermark, 0, performance.now() - started);
  }
  let watermark: string | null = null;
  let atWatermark = 0;
  const began = sliced ? await latestModification(app.db) : null;
  const keyword = await KeywordIndex.buildFromPages(
    docPages(app.db, (r) => {
      if (watermark === null || r.modifiedAt > watermark) {
        watermark = r.modifiedAt;
        atWatermark = 0;
      }
      if (r.modifiedAt === watermark) atWatermark++;
    }),
    sliced ? () => app.search.pacer.turn() : undefined,
  );
  if (sliced) {
    // -1 never matches a count, so the next refresh re-reads everything from the build's start.
    watermark = began;
    atWatermark = -1;
  }
  await saveSnapshot(app, keyword, watermark, atWatermark);
  return inProcessState(keyword, watermark, atWatermark, Date.now(), performance.now() - started);
}

/** The keyword index snapshot lives beside a SQLite database; PostgreSQL sites rebuild at start. */
function snapshotPath(app: App): string | null {
  const t = app.config.database;
  return t.kind === 'sqlite' && t.file !== ':memory:' ? `${t.file}.search-index` : null;
}

function loadSnapshot(app: App): { index: KeywordIndex; watermark: string | null; atWatermark: number } | null {
  const file = snapshotPath(app);
  if (!file || !fs.existsSync(file)) return null;
  const s = KeywordIndex.fromSnapshot(fs.readFileSync(file));
  if (!s) return null;
  return {
    index: s.index,
    watermark: (s.meta.watermark as string | null) ?? null,
    atWatermark: Number(s.meta.atWatermark ?? 0),
  };
}

async function saveSnapshot(
  app: App,
  index: KeywordIndex,
  watermark: string | null,
  atWatermark: number,
): Promise<void> {
  const file = snapshotPath(app);
  if (!file) return;
  // Written asynchronously (tens of MB): a rebuild beside traffic must not hold the event loop.
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    // Write then rename, so a crash mid-write never leaves a torn snapshot.
    await fs.promises.writeFile(tmp, index.toSnapshot({ watermark, atWatermark }));
    await fs.promises.rename(tmp, file);
  } catch {
    // A read-only folder only costs a rebuild at the next start; search itself works.
  }
}

async function engineState(app: App): Promise<EngineState> {
  let s = app.search.engine;
  if (!s) {
    const building = buildState(app);
    s = building;
    app.search.engine = building;
    app.search.loadedAt = null;
    building.then(
      () => {
        if (app.search.engine !== building) return;
        app.search.loadedAt = app.clock.now();
        app.search.lastError = null;
      },
      (err) => {
        app.search.lastError = (err as Error).message;
        if (app.search.engine === building) app.search.engine = null;
      },
    );
  }
  return s;
}

/**
 * Bring the in-process index up to date with the database: papers modified since it last looked,
 * and (when `force` or the check interval passed) deletions. Searches call it before serving.
 */
export async function refreshSearchIndex(app: App, opts: { force?: boolean } = {}): Promise<void> {
  const st = await engineState(app);
  while (st.refreshing) await st.refreshing;
  st.refreshing = refresh(app, st, !!opts.force).finally(() => {
    st.refreshing = null;
  });
  await st.refreshing;
}

/**
 * What a search does first: start a refresh (or join the one under way) and wait for it at most
 * SEARCH_REFRESH_WAIT_MS. A small change (a submission, an edit) is applied well within that; an
 * import being caught up with goes on in the background while searches answer from what is indexed.
 */
async function refreshForSearch(app: App, st: EngineState): Promise<void> {
  if (!st.refreshing)
    st.refreshing = refresh(app, st, false).finally(() => {
      st.refreshing = null;
    });
  const running = st.refreshing;
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SEARCH_REFRESH_WAIT_MS);
  });
  try {
    await Promise.race([running, waited]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Changes are found by papers.modified_at: anything later than the newest change seen, or more
 * papers at that very millisecond than seen. They are read REFRESH_PAGE_DOCS at a time and applied
 * in slices, with the event loop free in between (the keyword index merges its tiered deltas
 * sliced too; vectors past SEMANTIC_INLINE_DOCS are embedded in the background). Past
 * MAX_DELTA_DOCS changes the whole keyword index is rebuilt beside the served one and swapped in.
 * Hazard: a concurrent writer (PostgreSQL) may commit an update stamped slightly before the newest
 * change already seen; the periodic count check catches such inserts, and `paperboy index rebuild`
 * or a restart catches such updates.
 */
async function refresh(app: App, st: EngineState, force: boolean): Promise<void> {
  // Database backend before the semantic index exists: nothing held here can be stale.
  if (!st.keyword && !st.engine.semantic) return;
  if (st.rebuilt) takeRebuilt(st, st.rebuilt);
  const latest = await latestModification(app.db);
  const moved =
    latest !== null &&
    (st.watermark === null ||
      latest > st.watermark ||
      (latest === st.watermark && (await countModifiedAt(app.db, latest)) !== st.atWatermark));
  if (moved) {
    // Every paper modified at or after the old watermark passes by, so the new one is counted whole.
    let watermark = st.watermark;
    let atWatermark = 0;
    let since = st.watermark ?? '';
    let afterId = 0;
    for (;;) {
      const page = await indexDocsChangedAfter(app.db, since, afterId, REFRESH_PAGE_DOCS);
      if (page.length === 0) break;
      await applyChanges(app, st, page);
      for (const r of page) {
        if (watermark === null || r.modifiedAt > watermark) {
          watermark = r.modifiedAt;
          atWatermark = 0;
        }
        if (r.modifiedAt === watermark) atWatermark++;
      }
      const last = page[page.length - 1];
      since = last.modifiedAt;
      afterId = last.paperId;
      if (page.length < REFRESH_PAGE_DOCS) break;
      await app.search.pacer.turn();
    }
    st.watermark = watermark;
    st.atWatermark = atWatermark;
    maybeRebuild(app, st);
  }
  if (force || Date.now() - st.lastDeleteCheck > DELETE_CHECK_INTERVAL_MS) {
    st.lastDeleteCheck = Date.now();
    const { count } = await paperChangeMark(app.db);
    if (count !== st.held.size) {
      const live = new Set(await allPaperIds(app.db));
      const gone = [...st.held.paperIds()].filter((id) => !live.has(id));
      st.keyword?.remove(gone);
      if (st.held instanceof PaperIdSet) st.held.remove(gone);
      st.engine.semantic?.vectors.remove(gone);
      for (const id of gone) st.pendingVectors.delete(id);
      const added = [...live].filter((id) => !st.held.has(id));
      if (added.length > 0) await applyChanges(app, st, await indexDocsByIds(app.db, added), 'missing');
    }
  }
}

/**
 * Past MAX_DELTA_DOCS changed papers (and REBUILD_DELTA_SHARE of the main segment), rebuild the
 * keyword index from the database beside the served one: delta segments score with the main
 * segment's statistics, which drift as the delta grows. Not awaited: a refresh swaps it in later.
 */
function maybeRebuild(app: App, st: EngineState): void {
  const k = st.keyword;
  if (!k || st.rebuilding || st.rebuilt) return;
  if (k.deltaSize <= Math.max(MAX_DELTA_DOCS, k.mainDocs * REBUILD_DELTA_SHARE)) return;
  st.rebuilding = buildState(app, false, true)
    .then((fresh) => {
      st.rebuilt = fresh;
    })
    // A closed database or a failed read: the served index stays, and a later refresh tries again.
    .catch(() => undefined)
    .finally(() => {
      st.rebuilding = null;
    });
}

function takeRebuilt(st: EngineState, fresh: EngineState): void {
  st.rebuilt = null;
  st.keyword = fresh.keyword;
  st.held = fresh.held;
  st.engine = new SearchEngine(fresh.engine.keyword, st.engine.semantic);
  st.buildMs = fresh.buildMs;
  // Every change stamped before the served index's watermark was applied to it, vectors included.
  st.vectorsQueuedBefore = st.watermark;
  st.watermark = fresh.watermark;
  st.atWatermark = fresh.atWatermark;
}

/** `found` says how the papers were found: by the watermark, or as papers the index lacked (never embedded). */
async function applyChanges(
  app: App,
  st: EngineState,
  changed: IndexDocRow[],
  found: 'watermark' | 'missing' = 'watermark',
): Promise<void> {
  await st.keyword?.upsertSliced(changed, () => app.search.pacer.turn());
  if (st.held instanceof PaperIdSet) st.held.add(changed.map((r) => r.paperId));
  if (!st.engine.semantic) return;
  const before = found === 'watermark' ? st.vectorsQueuedBefore : null;
  for (const r of changed) if (before === null || r.modifiedAt >= before) st.pendingVectors.set(r.paperId, r);
  if (!st.embedding && st.pendingVectors.size <= SEMANTIC_INLINE_DOCS) {
    await embedPending(app, st, st.engine.semantic, SEMANTIC_INLINE_DOCS);
    return;
  }
  if (!st.embedding)
    st.embedding = catchUpVectors(app, st)
      // A closed database (shutdown) ends the catch-up; a later change starts it again.
      .catch(() => undefined)
      .finally(() => {
        st.embedding = null;
      });
}

/**
 * Embed up to `max` waiting papers, put them in the vector index and store their vectors (one
 * transaction). `paced`: a few at a time with the pacer's turns between (the background catch-up).
 */
async function embedPending(app: App, st: EngineState, sem: Semantic, max: number, paced = false): Promise<void> {
  const docs: IndexDoc[] = [];
  for (const [id, doc] of st.pendingVectors) {
    if (docs.length >= max) break;
    docs.push(doc);
    st.pendingVectors.delete(id);
  }
  if (docs.length === 0) return;
  const rows: Array<{ paperId: number; vector: string }> = [];
  const step = paced ? SEMANTIC_STEP_DOCS : docs.length;
  for (let i = 0; i < docs.length; i += step) {
    for (const [paperId, v] of embedInto(sem, docs.slice(i, i + step)))
      rows.push({ paperId, vector: vectorToBase64(v) });
    if (paced) await app.search.pacer.turn();
  }
  await savePaperVectors(app.db, sem.embedder.name, rows);
}

/** The background catch-up: SEMANTIC_SAVE_DOCS at a time, paced with the rest of the search catch-up. */
async function catchUpVectors(app: App, st: EngineState): Promise<void> {
  while (st.pendingVectors.size > 0) {
    const sem = st.engine.semantic;
    if (!sem) return;
    await embedPending(app, st, sem, SEMANTIC_SAVE_DOCS, true);
    await app.search.pacer.turn();
  }
}

async function trainedEmbedder(app: App): Promise<Embedder> {
  const custom = app.search.embedder;
  if (custom) return custom;
  const stored = await loadSearchModel(app.db, LSA_MODEL_NAME);
  if (stored) return LsaEmbedder.deserialize(stored);
  // Train on an even sample of the corpus (every n-th paper), not only the oldest ones.
  const { count } = await paperChangeMark(app.db);
  const step = Math.max(1, Math.ceil(count / LSA_MAX_TRAIN_DOCS));
  const sample: IndexDoc[] = [];
  let i = 0;
  for await (const page of docPages(app.db)) for (const d of page) if (i++ % step === 0) sample.push(d);
  const model = LsaEmbedder.train(sample);
  await saveSearchModel(app.db, LSA_MODEL_NAME, model.serialize());
  return model;
}

/** Embed every paper that has no vector in the index yet, and store those vectors. */
async function embedMissing(app: App, sem: Semantic): Promise<number> {
  let embedded = 0;
  for await (const page of docPages(app.db)) {
    const missing = page.filter((d) => !sem.vectors.has(d.paperId));
    if (missing.length === 0) continue;
    const vecs = embedInto(sem, missing);
    await savePaperVectors(
      app.db,
      sem.embedder.name,
      [...vecs].map(([paperId, v]) => ({ paperId, vector: vectorToBase64(v) })),
    );
    embedded += vecs.size;
  }
  return embedded;
}

async function ensureSemantic(app: App, st: EngineState): Promise<void> {
  if (st.engine.semantic) return;
  if (!st.semantic) {
    st.semantic = (async () => {
      const embedder = await trainedEmbedder(app);
      if (st.held instanceof PaperIdSet) {
        // Database backend: the vectors are all this process holds, so changes are watched from
        // now on; a paper changed while loading is seen twice, which is harmless.
        st.watermark = await latestModification(app.db);
        st.atWatermark = st.watermark === null ? 0 : await countModifiedAt(app.db, st.watermark);
        st.held.reset(await allPaperIds(app.db));
        st.lastDeleteCheck = Date.now();
      }
      const vectors = new VectorIndex(embedder.dimensions);
      let after = 0;
      for (;;) {
        const page = await paperVectorsPage(app.db, embedder.name, after, BUILD_PAGE_SIZE);
        if (page.length === 0) break;
        const flat = new Float32Array(page.length * embedder.dimensions);
        const ids: number[] = [];
        for (const r of page) {
          const v = vectorFromBase64(r.vector);
          if (v.length !== embedder.dimensions || !st.held.has(r.paperId)) continue;
          flat.set(v, ids.length * embedder.dimensions);
          ids.push(r.paperId);
        }
        vectors.addBatch(ids, flat.subarray(0, ids.length * embedder.dimensions));
        after = page[page.length - 1].paperId;
      }
      const sem: Semantic = { embedder, vectors };
      st.engine.semantic = sem;
      await embedMissing(app, sem);
    })();
    st.semantic.catch(() => {
      st.semantic = null;
    });
  }
  await st.semantic;
}

/** Build the indexes now (at server start) rather than on the first search. */
export async function warmSearch(app: App, opts: { semantic?: boolean } = {}): Promise<void> {
  const st = await engineState(app);
  if (opts.semantic ?? true) await ensureSemantic(app, st);
}

/**
 * Rebuild everything from the database: keyword index (none with KEYWORD_SEARCH=database:
 * PostgreSQL keeps its own), a freshly trained embedding model and every paper's vector.
 * Returns what it took.
 */
export async function rebuildSearchIndex(app: App): Promise<{
  papers: number;
  keywordSearch: KeywordSearchBackend;
  keywordMs: number;
  semanticMs: number;
  keywordBytes: number;
  vectorBytes: number;
}> {
  app.search.engine = null;
  const snap = snapshotPath(app);
  if (snap) fs.rmSync(snap, { force: true });
  const t0 = performance.now();
  const st = await engineState(app);
  const keywordMs = performance.now() - t0;
  const t1 = performance.now();
  if (!app.search.embedder) {
    await deleteAllPaperVectors(app.db);
    await deleteSearchModel(app.db, LSA_MODEL_NAME); // retrained below
  }
  await ensureSemantic(app, st);
  return {
    papers: st.held.size,
    keywordSearch: st.keyword ? 'index' : 'database',
    keywordMs,
    semanticMs: performance.now() - t1,
    keywordBytes: st.keyword?.bytes() ?? 0,
    vectorBytes: st.engine.semantic?.vectors.bytes() ?? 0,
  };
}

function isMode(m: unknown): m is SearchMode {
  return m === 'keyword' || m === 'semantic' || m === 'hybrid';
}

function clampInt(v: unknown, min: number, max: number, dflt: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? Math.floor(v) : dflt;
  return Math.min(max, Math.max(min, n));
}

/** Do a paper's words contain the phrase's words consecutively (as index terms)? */
function containsPhrase(text: string, phrase: string[]): boolean {
  if (phrase.length === 0) return true;
  const terms = tokenize(text);
  outer: for (let i = 0; i + phrase.length <= terms.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (terms[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Search papers. Never throws on odd input: malformed queries are read as words, with notes.
 *
 * @example
 * const r = await searchPapers(app, { q: 'diffusion cat:cs.CV -survey', limit: 20, offset: 0 });
 * r.hits[0] // { paperId, score, highlights: { title: '…<mark>Diffusion</mark>…' } }
 */
export async function searchPapers(app: App, req: SearchRequest): Promise<SearchResult> {
  const started = performance.now();
  const result = await searchPapersTimed(app, req);
  app.metrics.searchDuration.observe({ mode: result.mode }, (performance.now() - started) / 1000);
  return result;
}

async function searchPapersTimed(app: App, req: SearchRequest): Promise<SearchResult> {
  const limit = clampInt(req.limit, 1, MAX_SEARCH_LIMIT, 20);
  const offset = clampInt(req.offset, 0, MAX_SEARCH_OFFSET, 0);
  const notes: string[] = [];
  let mode: SearchMode = DEFAULT_SEARCH_MODE;
  if (req.mode !== undefined) {
    if (isMode(req.mode)) mode = req.mode;
    else notes.push(`Unknown search mode "${String(req.mode)}": ${DEFAULT_SEARCH_MODE} used.`);
  }
  const parsed = parseQuery(typeof req.q === 'string' ? req.q : '');
  notes.push(...parsed.notes);
  const st = await engineState(app);
  await refreshForSearch(app, st);
  if (mode === 'semantic' || (mode === 'hybrid' && req.waitForSemantic)) await ensureSemantic(app, st);
  else if (mode === 'hybrid' && !st.engine.semantic) ensureSemantic(app, st).catch(() => undefined);
  const f = req.filters ?? {};
  const extra: Partial<QueryFilters> = {
    after: f.after,
    before: f.before,
    category: f.category,
    org: f.org,
    hasCode: f.hasCode || undefined,
    authors: f.authors,
  };
  // Fact terms (speedup:>2, has:results …): the in-process index learns the matching papers from the
  // database; PostgreSQL full text tests them in its own SQL.
  if (st.keyword && (parsed.filters.fact || parsed.filters.hasResults))
    extra.paperIds = await paperIdsWithFact(app.db, parsed.filters.fact);
  // Phrases the ranker only required word by word are checked against the text here.
  const phrases = st.engine.keyword.checksPhrases
    ? []
    : parsed.phrases.map((p) => tokenize(p)).filter((p) => p.length > 1);
  const want = offset + limit;
  const r = await st.engine.search(
    parsed,
    mode as EngineMode,
    phrases.length > 0 ? want * PHRASE_OVERFETCH : want,
    extra,
  );
  notes.push(...r.notes);
  let hits = r.hits;
  let total = r.total;
  let texts = new Map<number, { title: string; abstract: string }>();
  if (phrases.length > 0) {
    texts = await paperTexts(
      app.db,
      hits.map((h) => h.paperId),
    );
    const before = hits.length;
    hits = hits.filter((h) => {
      const t = texts.get(h.paperId);
      return t !== undefined && phrases.every((p) => containsPhrase(`${t.title}\n${t.abstract}`, p));
    });
    if (hits.length < before) total = Math.max(hits.length, Math.round((total * hits.length) / Math.max(1, before)));
  }
  const page = hits.slice(offset, offset + limit);
  const missing = page.map((h) => h.paperId).filter((id) => !texts.has(id));
  if (missing.length > 0) for (const [id, t] of await paperTexts(app.db, missing)) texts.set(id, t);
  const out: SearchHit[] = page.map((h) => {
    const t = texts.get(h.paperId);
    if (!t || r.terms.size === 0) return { paperId: h.paperId, score: h.score };
    return {
      paperId: h.paperId,
      score: h.score,
      highlights: { title: highlight(t.title, r.terms), abstract: highlight(t.abstract, r.terms, SNIPPET_CHARS) },
    };
  });
  return { hits: out, total, notes, mode: r.mode, totalIsEstimate: r.totalIsEstimate };
}

/** Papers like this one, by their vectors; empty when it has none. */
export async function similarPapers(app: App, paperId: number, limit: number): Promise<SearchHit[]> {
  const st = await engineState(app);
  await refreshForSearch(app, st);
  await ensureSemantic(app, st);
  return st.engine.similar(paperId, clampInt(limit, 1, MAX_SEARCH_LIMIT, 10));
}

/** What the in-process engine holds, for `paperboy stats`-like reports (no keyword index with KEYWORD_SEARCH=database). */
export async function searchIndexInfo(app: App): Promise<{
  papers: number;
  keywordSearch: KeywordSearchBackend;
  delta: number;
  keywordBytes: number;
  vectors: number;
  buildMs: number;
}> {
  const st = await engineState(app);
  return {
    papers: st.held.size,
    keywordSearch: st.keyword ? 'index' : 'database',
    delta: st.keyword?.deltaSize ?? 0,
    keywordBytes: st.keyword?.bytes() ?? 0,
    vectors: st.engine.semantic?.vectors.size ?? 0,
    buildMs: st.buildMs,
  };
}

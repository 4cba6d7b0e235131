import type { Freshness } from '../services/content-version.js';

/**
 * An in-process cache of rendered responses for anonymous GETs of `public` and `feed` routes, keyed
 * by the path and the query parameters the route's handler declares (so `?nocache=N` is one key).
 *
 * Invalidation is by what changed (services/content-version.ts): an entry remembers the change
 * counter at its render and the papers it shows; a vote on one of them makes it stale, a vote on
 * any other paper does not. A stale entry is still served, and refreshed by one background render
 * at most once per PAGE_REFRESH_MIN_MS: readers never wait for a render after the first, a burst
 * of votes costs one render per page per interval, and the staleness anonymous readers see is
 * bounded by that interval (longer for expensive pages, PAGE_REFRESH_RENDER_MULTIPLE; at most
 * PAGE_CACHE_MAX_AGE_MS). Signed-in readers are never served from here (their pages are their own).
 *
 * Memory is bounded by bytes, not entries (PAGE_CACHE_MAX_BYTES, least recently used goes first);
 * a response larger than PAGE_CACHE_MAX_ENTRY_BYTES is never kept. Concurrent misses for one key
 * share one render (single flight).
 */
const PAGE_CACHE_MAX_BYTES = 64 * 1024 * 1024;
const PAGE_CACHE_MAX_ENTRY_BYTES = 1024 * 1024;
/** A stale page is re-rendered at most this often; also the bound on what anonymous readers miss. */
const PAGE_REFRESH_MIN_MS = 1_000;
/**
 * ... and at most once per this many times its own last render: under a stream of votes a page
 * that takes 150 ms to render (trending over a large archive) refreshes every 3 s, not every
 * second, so no stale page spends more than ~5 % of a core on re-renders (bench:mixed saw 57 a
 * second, holding the event loop for seconds). Cheap pages keep the 1 s bound.
 */
const PAGE_REFRESH_RENDER_MULTIPLE = 20;
/** Backstop for writes that bypass the change counter (hand-made SQL): refresh entries this old. */
const PAGE_CACHE_MAX_AGE_MS = 30_000;
/** What an entry costs besides its body and headers: the key, the object, the Map slot. */
const ENTRY_OVERHEAD_BYTES = 256;

export interface CachedResponse {
  status: number;
  contentType: string;
  /** Encoded once, so a hit costs no string-to-bytes conversion. */
  body: Buffer;
  headers: Record<string, string>;
}

/** A render's result: the response and the papers it shows (null: it may show anything). */
interface Rendered {
  response: CachedResponse;
  papers: readonly number[] | null;
}

/** The change counter the cache consults (ContentVersion; tests pass their own). */
interface Versions {
  mark(): number;
  isFresh(f: Freshness): boolean;
}

interface Entry {
  response: CachedResponse;
  freshness: Freshness;
  storedAt: number;
  bytes: number;
  /** How long its render took, ms (0 when stored from elsewhere). */
  renderMs: number;
}

export interface CacheOptions {
  maxBytes?: number;
  maxEntryBytes?: number;
  refreshMinMs?: number;
  /** 0: every stale page refreshes after refreshMinMs, whatever its render cost. */
  refreshRenderMultiple?: number;
  maxAgeMs?: number;
}

function sizeOf(key: string, r: CachedResponse): number {
  let n = ENTRY_OVERHEAD_BYTES + key.length * 2 + r.body.length + r.contentType.length;
  for (const [k, v] of Object.entries(r.headers)) n += k.length + v.length;
  return n;
}

export class ResponseCache {
  private entries = new Map<string, Entry>();
  private inflight = new Map<string, Promise<CachedResponse>>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly maxEntryBytes: number;
  private readonly refreshMinMs: number;
  private readonly refreshRenderMultiple: number;
  private readonly maxAgeMs: number;
  /** Counters for the metrics: fresh hits, stale hits (served while refreshing), misses, evictions. */
  readonly stats = { hits: 0, staleHits: 0, misses: 0, evictions: 0, refreshes: 0 };

  constructor(
    private readonly versions: Versions,
    opts: CacheOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? PAGE_CACHE_MAX_BYTES;
    this.maxEntryBytes = opts.maxEntryBytes ?? PAGE_CACHE_MAX_ENTRY_BYTES;
    this.refreshMinMs = opts.refreshMinMs ?? PAGE_REFRESH_MIN_MS;
    this.refreshRenderMultiple = opts.refreshRenderMultiple ?? PAGE_REFRESH_RENDER_MULTIPLE;
    this.maxAgeMs = opts.maxAgeMs ?? PAGE_CACHE_MAX_AGE_MS;
  }

  /**
   * The response for `key`: fresh from the cache; stale from the cache while a background render
   * refreshes it (at most once per interval); or a render shared with concurrent requests. Only
   * 200s are kept.
   */
  async fetch(key: string, render: () => Promise<Rendered>, now = Date.now()): Promise<CachedResponse> {
    const hit = this.fresh(key, now);
    if (hit) return hit;
    const e = this.entries.get(key);
    if (!e) {
      this.stats.misses++;
      return this.renderOnce(key, render);
    }
    this.touch(key, e);
    const age = now - e.storedAt;
    this.stats.staleHits++;
    const interval = Math.min(Math.max(this.refreshMinMs, e.renderMs * this.refreshRenderMultiple), this.maxAgeMs);
    if (age >= interval && !this.inflight.has(key)) {
      this.stats.refreshes++;
      void this.renderOnce(key, render).catch(() => undefined);
    }
    return e.response;
  }

  /**
   * The response for `key` if its entry is fresh (a hit), else null and nothing counted: the server
   * answers a fresh copy with this before any other work, and calls `fetch` otherwise.
   */
  fresh(key: string, now = Date.now()): CachedResponse | null {
    const e = this.entries.get(key);
    if (!e || !this.versions.isFresh(e.freshness) || now - e.storedAt >= this.maxAgeMs) return null;
    this.touch(key, e);
    this.stats.hits++;
    return e.response;
  }

  /** Most recently used goes to the end; eviction takes from the front. */
  private touch(key: string, e: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  private renderOnce(key: string, render: () => Promise<Rendered>): Promise<CachedResponse> {
    const running = this.inflight.get(key);
    if (running) return running;
    // The counter before rendering: a change during the render leaves this entry stale, not wrong.
    const seq = this.versions.mark();
    const started = performance.now();
    const p = render()
      .then(({ response, papers }) => {
        if (response.status === 200) this.set(key, response, { seq, papers }, Date.now(), performance.now() - started);
        return response;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  set(key: string, response: CachedResponse, freshness: Freshness, now = Date.now(), renderMs = 0): void {
    const bytes = sizeOf(key, response);
    this.delete(key);
    if (bytes > this.maxEntryBytes) return;
    this.entries.set(key, { response, freshness, storedAt: now, bytes, renderMs });
    this.bytes += bytes;
    while (this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
      this.stats.evictions++;
    }
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get byteSize(): number {
    return this.bytes;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}

/**
 * An in-process cache of rendered responses keyed by route (method + URL), valid while the
 * content version it was rendered at is current. Pages change only on a vote, a comment or an
 * import, all of which bump the version (services/content-version.ts): at once in the process
 * that wrote, within a second in every other process (they poll the database's counter). As a
 * backstop for writes that bypass the counter (hand-made SQL), an entry older than
 * PAGE_CACHE_MAX_AGE_MS is re-rendered in the background while the stale copy is still served.
 *
 * Concurrent misses for one key share one render (single flight): fifty readers arriving together
 * after a vote cost one render, not fifty.
 */
export const PAGE_CACHE_MAX_AGE_MS = 30_000;
/** Entries kept; the oldest inserted goes first. 2,000 pages of ~40 KB is ~80 MB at worst. */
export const PAGE_CACHE_MAX_ENTRIES = 2_000;

export interface CachedResponse {
  status: number;
  contentType: string;
  /** Encoded once, so a hit costs no string-to-bytes conversion. */
  body: Buffer;
  headers: Record<string, string>;
}

interface Entry {
  version: number;
  storedAt: number;
  response: CachedResponse;
}

export class ResponseCache {
  private entries = new Map<string, Entry>();
  private inflight = new Map<string, Promise<CachedResponse>>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries = PAGE_CACHE_MAX_ENTRIES,
    private readonly maxAgeMs = PAGE_CACHE_MAX_AGE_MS,
  ) {}

  /** A cached entry at this version, however old (see `isStale`), or null. */
  get(key: string, version: number): Entry | null {
    const e = this.entries.get(key);
    if (!e || e.version !== version) return null;
    return e;
  }

  isStale(e: Entry, now = Date.now()): boolean {
    return now - e.storedAt > this.maxAgeMs;
  }

  set(key: string, version: number, response: CachedResponse, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { version, storedAt: now, response });
  }

  /**
   * The response for `key` at `version`: a fresh hit; a stale hit (served now, refreshed in the
   * background); or a render shared with concurrent requests for the same key. Only 200s are kept.
   */
  async fetch(key: string, version: number, render: () => Promise<CachedResponse>): Promise<CachedResponse> {
    const e = this.get(key, version);
    if (e) {
      this.hits++;
      if (this.isStale(e)) void this.renderOnce(key, version, render).catch(() => undefined);
      return e.response;
    }
    this.misses++;
    return this.renderOnce(key, version, render);
  }

  private renderOnce(key: string, version: number, render: () => Promise<CachedResponse>): Promise<CachedResponse> {
    const flightKey = `${version}\u0000${key}`;
    const running = this.inflight.get(flightKey);
    if (running) return running;
    const p = render()
      .then((res) => {
        if (res.status === 200) this.set(key, version, res);
        return res;
      })
      .finally(() => this.inflight.delete(flightKey));
    this.inflight.set(flightKey, p);
    return p;
  }

  get size(): number {
    return this.entries.size;
  }
}

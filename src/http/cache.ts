/**
 * An in-process cache of rendered responses keyed by route (method + URL), valid while the
 * content version it was rendered at is current. Pages change only on a vote, a comment or an
 * import, all of which bump the version (services/content-version.ts), so a hit is always fresh
 * for this process; PAGE_CACHE_MAX_AGE_MS bounds how stale a page can be after another process
 * (a CLI import, a worker) wrote to the database.
 */
export const PAGE_CACHE_MAX_AGE_MS = 30_000;
/** Entries kept; the oldest inserted goes first. 2,000 pages of ~40 KB is ~80 MB at worst. */
export const PAGE_CACHE_MAX_ENTRIES = 2_000;

export interface CachedResponse {
  status: number;
  contentType: string;
  body: string;
  headers: Record<string, string>;
}

interface Entry {
  version: number;
  storedAt: number;
  response: CachedResponse;
}

export class ResponseCache {
  private entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries = PAGE_CACHE_MAX_ENTRIES,
    private readonly maxAgeMs = PAGE_CACHE_MAX_AGE_MS,
  ) {}

  get(key: string, version: number, now = Date.now()): CachedResponse | null {
    const e = this.entries.get(key);
    if (!e || e.version !== version || now - e.storedAt > this.maxAgeMs) {
      if (e) this.entries.delete(key);
      this.misses++;
      return null;
    }
    this.hits++;
    return e.response;
  }

  set(key: string, version: number, response: CachedResponse, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { version, storedAt: now, response });
  }

  get size(): number {
    return this.entries.size;
  }
}

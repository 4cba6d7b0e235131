import type { App } from './app.js';

/**
 * A counter that every write readers can see bumps (a vote, a comment, an import), so caches of
 * rendered pages know they are stale. In-process: another process's writes (a CLI import, a
 * worker) are picked up when cached entries expire (see PAGE_CACHE_MAX_AGE_MS in http/cache.ts).
 *
 * @example
 * await castVote(app, user, paperId);
 * bumpContentVersion(app); // every cached page is re-rendered on its next request
 */
const versions = new WeakMap<App, number>();

export function contentVersion(app: App): number {
  return versions.get(app) ?? 0;
}

export function bumpContentVersion(app: App): number {
  const v = contentVersion(app) + 1;
  versions.set(app, v);
  return v;
}

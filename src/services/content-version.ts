import { bumpStoredContentVersion, readStoredContentVersion } from '../store/content-version-store.js';
import type { App } from './app.js';

/**
 * A number that changes whenever something readers can see changes (a vote, a comment, an
 * import), so caches of rendered pages know they are stale.
 *
 * Each process keeps its own number, bumped at once by its own writes, and looks at the shared
 * counter in the database at most every CONTENT_VERSION_POLL_MS: another web process's vote, a
 * worker's import or a CLI import moves it, and this process's number moves with it. Polling is
 * lazy (started by a read, never awaited), so a cache hit never waits for the database.
 *
 * @example
 * await castVote(app, user, paperId);
 * bumpContentVersion(app); // cached pages here re-render on their next request, elsewhere within a second
 */
export const CONTENT_VERSION_POLL_MS = 1000;

interface State {
  local: number;
  /** The shared counter when last read; null before the first read. */
  seen: number | null;
  lastPoll: number;
  polling: boolean;
}

const states = new WeakMap<App, State>();

function state(app: App): State {
  let s = states.get(app);
  if (!s) {
    s = { local: 0, seen: null, lastPoll: 0, polling: false };
    states.set(app, s);
  }
  return s;
}

export function contentVersion(app: App, now = Date.now()): number {
  const s = state(app);
  if (!s.polling && now - s.lastPoll >= CONTENT_VERSION_POLL_MS) {
    s.polling = true;
    s.lastPoll = now;
    readStoredContentVersion(app.db)
      .then((v) => {
        // Our own bumps come back here too and cost one extra re-render; simpler than telling them apart.
        if (s.seen !== null && v !== s.seen) s.local++;
        s.seen = v;
      })
      // A closed pool or a database blip: the next poll tries again; pages still expire by age.
      .catch(() => undefined)
      .finally(() => {
        s.polling = false;
      });
  }
  return s.local;
}

export function bumpContentVersion(app: App): number {
  const s = state(app);
  s.local++;
  bumpStoredContentVersion(app.db).catch(() => undefined);
  return s.local;
}

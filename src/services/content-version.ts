import type { Db } from '../db/open.js';
import { bumpStoredContentVersion, readStoredContentVersion } from '../store/content-version-store.js';

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
 * await setVote(app, user, paperId, true);
 * app.contentVersion.bump(); // cached pages here re-render on their next request, elsewhere within a second
 */
export const CONTENT_VERSION_POLL_MS = 1000;

export class ContentVersion {
  private local = 0;
  /** The shared counter when last read; null before the first read. */
  private seen: number | null = null;
  private lastPoll = 0;
  private polling = false;

  constructor(private readonly db: Db) {}

  current(now = Date.now()): number {
    if (!this.polling && now - this.lastPoll >= CONTENT_VERSION_POLL_MS) {
      this.polling = true;
      this.lastPoll = now;
      readStoredContentVersion(this.db)
        .then((v) => {
          // Our own bumps come back here too and cost one extra re-render; simpler than telling them apart.
          if (this.seen !== null && v !== this.seen) this.local++;
          this.seen = v;
        })
        // A closed pool or a database blip: the next poll tries again; pages still expire by age.
        .catch(() => undefined)
        .finally(() => {
          this.polling = false;
        });
    }
    return this.local;
  }

  bump(): number {
    this.local++;
    bumpStoredContentVersion(this.db).catch(() => undefined);
    return this.local;
  }
}

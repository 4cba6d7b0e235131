import type { Db } from '../db/open.js';
import { sleep } from '../lib/turns.js';
import { bumpStoredContentVersion, readStoredContentVersion } from '../store/content-version-store.js';

/**
 * What cached pages are valid against: which papers changed, and when everything did.
 *
 * A vote or a comment changes one paper (its counts, its thread), so it marks that paper only:
 * pages that show it go stale, every other page stays fresh. A change to what lists hold (a
 * submission, an import, a hidden submission) marks everything. Readers never wait for this: the
 * page cache serves a stale page while one background render refreshes it, at most once per
 * PAGE_REFRESH_MIN_MS a page (http/cache.ts), so the staleness anonymous readers see is bounded and
 * a burst of votes costs one render per page per interval, not one per vote.
 *
 * Other processes (web processes, workers, CLI imports) learn of changes through a shared counter
 * in the database, read at most every CONTENT_VERSION_POLL_MS and never awaited by a request; they
 * cannot tell which paper changed, so a remote change marks everything — at most once per
 * REMOTE_CHANGE_MIN_MS, so an import committing every second (or a second web process taking votes)
 * does not have every page re-rendered every second. This process moves the shared counter at most
 * once per STORE_MIN_INTERVAL_MS, however many votes it takes: one write, not one per vote.
 *
 * @example
 * await setVote(app, user, paperId, true); // calls app.contentVersion.paperChanged(paperId)
 * cache entry { seq: 41, papers: [7, 9] } is fresh until paper 7 or 9 changes, or everything does
 */
export const CONTENT_VERSION_POLL_MS = 1000;
/**
 * Another process's changes mark everything at most this often: what anonymous readers of this
 * process miss of them is bounded by this plus one poll. In bench:mixed, an import's batches made
 * every page of the web process stale each second: 61 re-renders a second, a quarter of a core
 * (BENCHMARKS.md).
 */
export const REMOTE_CHANGE_MIN_MS = 5_000;
/**
 * This process writes the shared counter at most this often (a burst of votes is one write; other
 * processes poll every CONTENT_VERSION_POLL_MS anyway). Each write takes SQLite's one write lock,
 * and beside an import it waits its turn like a vote.
 */
const STORE_MIN_INTERVAL_MS = 500;
/**
 * Papers whose change is remembered one by one; past this, one "everything changed" replaces them
 * (memory stays bounded whatever the vote pattern).
 */
const MAX_TRACKED_PAPERS = 100_000;

/** Counter steps looked at one by one between two polls; a larger jump is from elsewhere anyway. */
const MAX_COUNTER_SCAN = 10_000;

/** What a cached response was rendered against: the change counter then, and the papers it shows. */
export interface Freshness {
  seq: number;
  /** null: it may show anything, so any change makes it stale. */
  papers: readonly number[] | null;
}

export class ContentVersion {
  /** Counts every change this process saw. */
  private seq = 0;
  /** The counter at the last change that touched everything. */
  private everythingSeq = 0;
  /** The counter at each paper's last change (since the last change to everything). */
  private paperSeq = new Map<number, number>();
  /** The shared counter when last read; null before the first read. */
  private seen: number | null = null;
  private lastPoll = 0;
  private polling = false;
  private storing: Promise<void> | null = null;
  private lastStore = 0;
  /** When another process's change last marked everything, and whether one waits for its turn. */
  private lastRemote = 0;
  private remotePending = false;
  /** Values of the shared counter this process produced, not yet passed by a poll. */
  private own = new Set<number>();
  private storeAgain = false;
  /** Changes seen, by kind (for the metrics). */
  readonly changes = { paper: 0, everything: 0, remote: 0 };

  constructor(private readonly db: Db) {}

  /** The counter to record when a render starts (and a prompt to look at the shared counter). */
  mark(now = Date.now()): number {
    if (!this.polling && now - this.lastPoll >= CONTENT_VERSION_POLL_MS) this.poll(now);
    return this.seq;
  }

  isFresh(f: Freshness): boolean {
    if (f.seq < this.everythingSeq) return false;
    if (f.papers === null) return f.seq >= this.seq;
    for (const id of f.papers) if ((this.paperSeq.get(id) ?? 0) > f.seq) return false;
    return true;
  }

  /** These papers changed in a way readers see (votes, comments, claims). */
  paperChanged(...ids: number[]): void {
    this.seq++;
    if (this.paperSeq.size + ids.length > MAX_TRACKED_PAPERS) this.everythingLocally();
    else for (const id of ids) this.paperSeq.set(id, this.seq);
    this.changes.paper++;
    this.store();
  }

  /** What lists hold changed (a submission, a hidden one, an organisation's papers): every page. */
  everythingChanged(): void {
    this.everythingLocally();
    this.changes.everything++;
    this.store();
  }

  private everythingLocally(): void {
    this.seq++;
    this.everythingSeq = this.seq;
    this.paperSeq.clear();
  }

  /**
   * Tell other processes: one write in flight at most, and one per STORE_MIN_INTERVAL_MS; changes
   * meanwhile ride on the next one.
   */
  private store(): void {
    if (this.storing) {
      this.storeAgain = true;
      return;
    }
    const wait = this.lastStore + STORE_MIN_INTERVAL_MS - Date.now();
    this.storing = (wait > 0 ? sleep(wait) : Promise.resolve())
      .then(() => {
        this.lastStore = Date.now();
        return bumpStoredContentVersion(this.db);
      })
      .then((v) => {
        this.own.add(v);
      })
      // A closed pool or a database blip: other processes still refresh by age (http/cache.ts).
      .catch(() => undefined)
      .finally(() => {
        this.storing = null;
        if (this.storeAgain) {
          this.storeAgain = false;
          this.store();
        }
      });
  }

  /**
   * Did another process move the counter between two reads? Values this process produced are its
   * own changes, already applied. (A bump whose answer arrives after the read looks foreign: one
   * extra refresh, never a missed one.)
   */
  private someoneElse(from: number, to: number): boolean {
    if (to < from || to - from > MAX_COUNTER_SCAN) return true;
    for (let x = from + 1; x <= to; x++) if (!this.own.has(x)) return true;
    return false;
  }

  private poll(now: number): void {
    this.polling = true;
    this.lastPoll = now;
    readStoredContentVersion(this.db)
      .then((v) => {
        if (this.seen !== null && v !== this.seen && this.someoneElse(this.seen, v)) this.remotePending = true;
        if (this.remotePending && now - this.lastRemote >= REMOTE_CHANGE_MIN_MS) {
          this.remotePending = false;
          this.lastRemote = now;
          this.everythingLocally();
          this.changes.remote++;
        }
        this.seen = v;
        for (const x of this.own) if (x <= v) this.own.delete(x);
      })
      .catch(() => undefined)
      .finally(() => {
        this.polling = false;
      });
  }
}

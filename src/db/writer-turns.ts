import fs from 'node:fs';
import { sleep } from './busy.js';

/**
 * How often a connection that keeps waiting for the lock stamps the file again. The stamp is what
 * tells a bulk writer someone still waits, so it must come well within WAITING_FRESH_MS.
 */
const WAITING_STAMP_MS = 5;
/**
 * A stamp younger than this means "a writer is waiting now". Long enough that a web process
 * short of CPU (a starved event loop stamps late) still counts as waiting; short enough that a
 * process killed while waiting holds a bulk writer up only this long.
 */
export const WAITING_FRESH_MS = 250;
/** Every stamp is this long (padded), so it is rewritten in place and never leaves a tail behind. */
const STAMP_BYTES = 32;
/** A bulk writer giving way looks at the stamp again after this pause. */
const GIVE_WAY_STEP_MS = 2;
/**
 * The longest a bulk writer gives way between two of its transactions, however long others keep
 * waiting: the import always moves on (at worst one ~30 ms transaction per this long).
 */
export const GIVE_WAY_MAX_MS = 500;

/**
 * Fair turns at a SQLite database's single write lock between processes.
 *
 * SQLite keeps no queue for its write lock: whoever asks the moment it is free gets it. `paperboy
 * import` commits a ~30 ms transaction and asks again a few milliseconds later; a web process that
 * polls for the lock (sqlite-driver.ts) seldom asks within that gap, so in issue #15's bench a
 * vote waited past its 2 s budget and got a 503 (109 in one run). So waiting writers say so, and
 * bulk writers give way:
 *
 * - A connection refused the lock writes `<pid> <epoch ms>` into `<database>-writer-waiting` (again
 *   every WAITING_STAMP_MS while any of its statements still waits), and `<pid> 0` once none does.
 * - A bulk writer (the import runner) calls giveWay() between two transactions: while another
 *   process's stamp is fresh it pauses, GIVE_WAY_STEP_MS at a time, GIVE_WAY_MAX_MS at most.
 *
 * A file rather than a table: the waiter cannot write to the database, that is what it waits for.
 * Costs: one tiny write per stamp while waiting, one read per bulk transaction.
 * Hazards: with two waiting processes, one's "done" hides the other's stamp until its next poll
 * (a few ms); a process killed while waiting leaves a stamp that goes stale after WAITING_FRESH_MS.
 *
 * @example
 * const turns = new WriterTurns('/srv/site.db-writer-waiting');
 * turns.startWaiting(); … turns.stopWaiting();      // the web process, around a refused write
 * await turns.giveWay();                             // the import, between two transactions
 */
export class WriterTurns {
  /** Statements of this process waiting for another process's lock right now. */
  private waiters = 0;
  private stampedAt = 0;
  private fd: number | null = null;
  /** Stamps and clears written (for tests and the metrics). */
  readonly stats = { stamps: 0, gaveWayMs: 0 };

  /** `pid` names this process in the file (tests play two processes with two values). */
  constructor(
    readonly file: string,
    private readonly pid = process.pid,
  ) {}

  /** A statement of this process was refused the lock and will wait. */
  startWaiting(now = Date.now()): void {
    this.waiters++;
    this.stamp(now);
  }

  /** It is still waiting: stamp again if the last stamp is getting old. */
  keepWaiting(now = Date.now()): void {
    if (now - this.stampedAt >= WAITING_STAMP_MS) this.stamp(now);
  }

  /** It got the lock or gave up; the last one out says nobody here waits (unless another process stamped since). */
  stopWaiting(): void {
    this.waiters = Math.max(0, this.waiters - 1);
    if (this.waiters === 0 && this.read()?.pid === this.pid) this.write(0);
  }

  /** Does a writer of another process wait for the lock now? */
  othersWaiting(now = Date.now()): boolean {
    const s = this.read();
    return s !== null && s.pid !== this.pid && s.at > 0 && now - s.at < WAITING_FRESH_MS;
  }

  private read(): { pid: number; at: number } | null {
    try {
      const [pid, at] = fs.readFileSync(this.file, 'utf8').trim().split(/\s+/).map(Number);
      return { pid, at };
    } catch {
      return null;
    }
  }

  /** Between two bulk transactions: pause while another process's writer waits (bounded). Returns the ms given. */
  async giveWay(): Promise<number> {
    const t0 = Date.now();
    while (this.othersWaiting() && Date.now() - t0 < GIVE_WAY_MAX_MS) await sleep(GIVE_WAY_STEP_MS);
    const gave = Date.now() - t0;
    this.stats.gaveWayMs += gave;
    return gave;
  }

  private stamp(now: number): void {
    this.stampedAt = now;
    this.write(now);
  }

  private write(at: number): void {
    this.stats.stamps++;
    try {
      // In place, at a fixed width, through a descriptor kept open: rewriting the file whole
      // (truncate, write, close) took 2.7 ms here, ext4 flushing a replaced file on close.
      this.fd ??= fs.openSync(this.file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
      fs.writeSync(this.fd, `${`${this.pid} ${at}`.padEnd(STAMP_BYTES - 1)}\n`, 0);
    } catch {
      // A directory we cannot write to also refuses the database (open.ts checks it): nothing to do.
    }
  }

  /** Let go of the file (the database is closing). */
  close(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }
}

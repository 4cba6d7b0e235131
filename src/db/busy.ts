import { AppError } from '../lib/app-error.js';

/** What a caller is told to wait before trying again when the database stayed busy (Retry-After). */
export const BUSY_RETRY_AFTER_SECONDS = 2;

/**
 * The database stayed locked by another connection or process for longer than this process waits
 * (SQLite's single write lock, held by `paperboy import` or a second server). Nothing was written.
 * An AppError with code `unavailable`, so the web layer answers 503 with `Retry-After`, and the
 * import runner and the job worker know to wait and try the same write again.
 *
 * @example
 * try { await vote(app, actor, paper); } catch (e) { if (e instanceof DatabaseBusyError) retryLater(); }
 */
export class DatabaseBusyError extends AppError {
  /** The driver's own words (which statement, how long it waited), for logs. */
  readonly detail: string;
  constructor(detail: string) {
    super('unavailable', `The database is busy; nothing was changed. Try again in ${BUSY_RETRY_AFTER_SECONDS} s.`, {
      retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
    });
    this.name = 'DatabaseBusyError';
    this.detail = detail;
  }
}

/** True for SQLite's "locked by another connection" answers (SQLITE_BUSY and its extended codes). */
export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/** First pause after a busy answer; it doubles each time … */
const BUSY_BACKOFF_FIRST_MS = 1;
/**
 * … up to this, so a waiter notices a released lock within this long. Short: an import gives way
 * to a waiting writer (db/writer-turns.ts) and the lock stands idle until the waiter asks again,
 * and a refused attempt costs ~0.1 ms (no synchronous busy timeout, see open.ts).
 */
const BUSY_BACKOFF_MAX_MS = 4;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The pause before attempt `attempt` (0-based) after a busy answer, with jitter so waiters spread out. */
export function busyBackoffMs(attempt: number): number {
  const base = Math.min(BUSY_BACKOFF_MAX_MS, BUSY_BACKOFF_FIRST_MS * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

interface RetryWhileBusyOptions {
  /** Give up (rethrow the DatabaseBusyError) once this long has passed. */
  budgetMs: number;
  /** Told about each wait, e.g. to log that the import is waiting for the lock. */
  onWait?: (waitedMs: number, err: DatabaseBusyError) => void;
  /** Longest pause between attempts (long-running work need not poll every 50 ms). */
  maxPauseMs?: number;
}

/**
 * Run `fn` again, after an asynchronous pause that grows, while it fails with DatabaseBusyError:
 * for work that may wait (an import batch, a job's bookkeeping). `fn` must be safe to repeat — a
 * transaction that failed busy wrote nothing.
 *
 * @example
 * await retryWhileBusy(() => source.write(db, batch), { budgetMs: 10 * 60_000 });
 */
export async function retryWhileBusy<T>(fn: () => Promise<T>, o: RetryWhileBusyOptions): Promise<T> {
  const t0 = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof DatabaseBusyError)) throw err;
      const waited = Date.now() - t0;
      if (waited >= o.budgetMs) throw err;
      o.onWait?.(waited, err);
      const pause = Math.min(o.maxPauseMs ?? 1000, 50 * 2 ** attempt);
      await sleep(pause / 2 + Math.random() * (pause / 2));
    }
  }
}

import { retryWhileBusy, sleep } from '../db/busy.js';
import type { Db } from '../db/open.js';
import { bumpStoredContentVersion } from '../store/content-version-store.js';
import type { UpsertStatus } from '../store/paper-store.js';
import { canReadInWorker, readInProcess, readInWorker } from './read-files.js';

/**
 * Records written per transaction: big enough to amortise commits and statement overhead, small
 * enough to lose little on a crash and to keep memory flat. Batches span files: 410 listing days of
 * ~300 records each would otherwise make 410 small transactions (measured in BENCHMARKS.md).
 */
export const IMPORT_BATCH_SIZE = 2000;
/**
 * On SQLite, the time one import transaction aims to hold the database's single write lock.
 * A live site's writes (votes, comments) wait behind it, so it bounds their latency; at ~3,000
 * records/s it is ~100 records a transaction. Commits are cheap in WAL mode (no fsync with
 * synchronous=NORMAL), so the import loses little to smaller transactions.
 */
const IMPORT_TXN_TARGET_MS = 30;
/** The first transaction's size, before its time is known. */
const IMPORT_FIRST_TXN_RECORDS = 50;
/** Never fewer records a transaction than this (a very slow moment must not make it crawl). */
const IMPORT_MIN_TXN_RECORDS = 10;
/**
 * The pause after each import transaction on SQLite. Other processes' writers that wait for the
 * lock are given way to beyond it (db/writer-turns.ts); this only lets one that has not yet said
 * so in.
 */
const IMPORT_YIELD_MS = 3;

/**
 * How long one batch may wait, in all, for the database's write lock while another process (a
 * busy web server, a second import) holds it, before the import stops with "database is busy".
 * Each attempt waits asynchronously (db/busy.ts); nothing of a refused batch was written, so the
 * same batch is simply written again.
 */
export const IMPORT_BUSY_WAIT_MS = 10 * 60_000;

export interface ImportItem<T> {
  file: string;
  /** Line (JSONL) or item number (JSON array) within the file, from 1. */
  line: number;
  value?: T;
  /** Why the record was rejected; set instead of value. */
  error?: string;
}

/** One ingestion source: how to read a file into records and how to write a batch of them. */
export interface ImportSource<T> {
  name: string;
  read(file: string): AsyncIterable<ImportItem<T>>;
  write(db: Db, values: T[]): Promise<UpsertStatus[]>;
}

export interface Reject {
  file: string;
  line: number;
  reason: string;
}

export interface ImportSummary {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejects: Reject[];
  files: number;
}

export function emptySummary(): ImportSummary {
  return { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, rejects: [], files: 0 };
}

interface RunOptions {
  onProgress?: (filesDone: number, summary: ImportSummary) => void;
  onReject?: (reject: Reject) => void;
  batchSize?: number;
  /** Read and parse in a worker thread when the code runs compiled (see read-files.ts). */
  readInWorker?: boolean;
  /** Told when a batch waits for another process's write lock (the CLI prints it once). */
  onBusy?: (waitedMs: number) => void;
  /** Total wait for the lock per batch (default IMPORT_BUSY_WAIT_MS). */
  busyWaitMs?: number;
  /** Time one transaction aims at (default: IMPORT_TXN_TARGET_MS on SQLite; none on PostgreSQL). */
  txnTargetMs?: number;
}

/** Count committed writes into the summary; when any changed a paper, tell every process's page cache. */
export async function recordWrites(
  db: Db,
  summary: ImportSummary,
  statuses: UpsertStatus[],
  busyWaitMs = IMPORT_BUSY_WAIT_MS,
): Promise<void> {
  for (const s of statuses) summary[s]++;
  if (statuses.some((s) => s !== 'unchanged')) {
    await retryWhileBusy(() => bumpStoredContentVersion(db), { budgetMs: busyWaitMs });
  }
}

/**
 * Stream every file through a source in batches. A malformed record is reported with its place
 * and skipped; the rest still goes in. An unreadable file is one reject, and the next file goes on.
 * A batch may hold records of several files; records are written in input order, so the result
 * and the inserted/updated/unchanged counts are the same as file by file. Each batch commits on
 * its own: a crash loses at most the batch in flight, and a re-run completes it (upserts are
 * idempotent).
 */
export async function runImport<T>(
  db: Db,
  source: ImportSource<T>,
  files: string[],
  opts: RunOptions = {},
): Promise<ImportSummary> {
  const summary = emptySummary();
  const batchSize = opts.batchSize ?? IMPORT_BATCH_SIZE;
  let batch: T[] = [];
  const reject = (r: Reject) => {
    summary.rejected++;
    summary.rejects.push(r);
    opts.onReject?.(r);
  };
  // Transactions are sized by time, not only by count: each holds SQLite's single write lock, and
  // a live site's votes wait behind it. The first is small; later ones aim at IMPORT_TXN_TARGET_MS.
  let txnSize = Math.min(batchSize, IMPORT_FIRST_TXN_RECORDS);
  const txnTargetMs = opts.txnTargetMs ?? (db.dialect === 'sqlite' ? IMPORT_TXN_TARGET_MS : Infinity);
  const flush = async () => {
    let from = 0;
    const written: UpsertStatus[] = [];
    while (from < batch.length) {
      const values = batch.slice(from, from + (Number.isFinite(txnTargetMs) ? txnSize : batch.length));
      const t0 = performance.now();
      const statuses = await retryWhileBusy(() => source.write(db, values), {
        budgetMs: opts.busyWaitMs ?? IMPORT_BUSY_WAIT_MS,
        onWait: (waited) => opts.onBusy?.(waited),
      });
      const ms = performance.now() - t0;
      from += values.length;
      written.push(...statuses);
      if (Number.isFinite(txnTargetMs)) {
        const perRecord = ms / values.length;
        const next = Math.floor(txnTargetMs / Math.max(perRecord, 1e-3));
        // Grow at most twofold a step (one fast transaction is not a trend); shrink at once.
        txnSize = Math.max(IMPORT_MIN_TXN_RECORDS, Math.min(batchSize, next, txnSize * 2));
        // Leave the lock free for a moment, and for as long as another process's writer waits for
        // it (bounded): SQLite has no queue, and a web process polling every few ms seldom asks
        // within a 3 ms gap.
        await sleep(IMPORT_YIELD_MS);
        await db.writerTurns?.giveWay();
      }
    }
    // One "papers changed" signal for the batch, not one per transaction.
    await recordWrites(db, summary, written, opts.busyWaitMs);
    batch = [];
  };
  const events =
    opts.readInWorker && canReadInWorker() ? readInWorker<T>(source.name, files) : readInProcess(source, files);
  for await (const ev of events) {
    if ('done' in ev) {
      if (ev.error !== undefined) reject({ file: ev.file, line: 0, reason: `cannot read file: ${ev.error}` });
      summary.files++;
      opts.onProgress?.(summary.files, summary);
      continue;
    }
    for (const item of ev.items) {
      summary.read++;
      if (item.error !== undefined || item.value === undefined) {
        reject({ file: item.file, line: item.line, reason: item.error ?? 'empty record' });
        continue;
      }
      batch.push(item.value);
      if (batch.length >= batchSize) {
        await flush();
        opts.onProgress?.(summary.files, summary);
      }
    }
  }
  await flush();
  opts.onProgress?.(summary.files, summary);
  return summary;
}

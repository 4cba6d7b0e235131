import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ImportItem, ImportSource } from './import-runner.js';

/**
 * Reading files for an import, as a stream of events: items in chunks, then each file's end (with
 * the reason when the file could not be read to its end).
 *
 * In a worker thread when the code runs compiled (the CLI, the worker's import job): decompressing,
 * JSON parsing and validating then run on the second core while the main thread writes to the
 * database — measured in BENCHMARKS.md (import). Under a TypeScript test runner the worker script
 * does not exist as JavaScript, so the same events come from this thread.
 */
type ReadEvent<T> = { file: string; items: ImportItem<T>[] } | { file: string; done: true; error?: string };

/** Items per message: big enough that posting costs little per item, small enough to stay flat in memory. */
const READ_CHUNK_ITEMS = 500;
/** Chunks the reader may run ahead of the writer (memory bound: about this × READ_CHUNK_ITEMS records). */
const READ_AHEAD_CHUNKS = 8;

export async function* readInProcess<T>(source: ImportSource<T>, files: string[]): AsyncGenerator<ReadEvent<T>> {
  for (const file of files) {
    let chunk: ImportItem<T>[] = [];
    let error: string | undefined;
    try {
      for await (const item of source.read(file)) {
        chunk.push(item);
        if (chunk.length >= READ_CHUNK_ITEMS) {
          yield { file, items: chunk };
          chunk = [];
        }
      }
    } catch (err) {
      error = (err as Error).message;
    }
    if (chunk.length > 0) yield { file, items: chunk };
    yield { file, done: true, error };
  }
}

const WORKER_SCRIPT = new URL('./read-worker.js', import.meta.url);

/** Whether imports can read in a worker thread here (compiled JavaScript beside this module). */
export function canReadInWorker(): boolean {
  return import.meta.url.endsWith('.js') && fs.existsSync(fileURLToPath(WORKER_SCRIPT));
}

/** The same events as readInProcess, read by `src/ingest/read-worker.ts` in a worker thread. */
export async function* readInWorker<T>(format: string, files: string[]): AsyncGenerator<ReadEvent<T>> {
  const worker = new Worker(WORKER_SCRIPT, { workerData: { format, files, credits: READ_AHEAD_CHUNKS } });
  const queue: Array<ReadEvent<T> | { end: true }> = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const nudge = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ReadEvent<T> | { end: true }) => {
    queue.push(m);
    nudge();
  });
  worker.on('error', (err) => {
    failure = err;
    nudge();
  });
  worker.on('exit', () => {
    exited = true;
    nudge();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (m) {
        if ('end' in m) return;
        worker.postMessage('more');
        yield m;
        continue;
      }
      if (failure) throw failure;
      if (exited) throw new Error('import: the file reader thread stopped unexpectedly');
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    await worker.terminate();
  }
}

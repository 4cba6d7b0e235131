import { parentPort, workerData } from 'node:worker_threads';
import { readInProcess } from './read-files.js';
import { importSources } from './sources.js';

/**
 * The worker thread behind readInWorker: reads the files with the format's own reader and posts
 * the events, at most `credits` chunks ahead of what the main thread has taken.
 */
const { format, files, credits: initial } = workerData as { format: string; files: string[]; credits: number };
let credits = initial;
let wake: (() => void) | null = null;
parentPort!.on('message', () => {
  credits++;
  wake?.();
  wake = null;
});
for await (const event of readInProcess(importSources[format], files)) {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  parentPort!.postMessage(event);
}
parentPort!.postMessage({ end: true });

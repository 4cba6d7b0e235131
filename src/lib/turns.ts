import { setImmediate as nextTurn, setTimeout as wait } from 'node:timers/promises';

/**
 * Let the event loop serve what is waiting (I/O, timers, requests) before long work goes on.
 *
 * @example
 * for (const slice of slices) { work(slice); await yieldTurn(); }
 */
export function yieldTurn(): Promise<void> {
  return nextTurn();
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return wait(ms);
}

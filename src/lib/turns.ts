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

/** A pause longer than this between two turns means the work stopped meanwhile: a new run starts. */
const PACER_IDLE_GAP_MS = 100;

/**
 * Paces background work so that it holds the event loop at most `sliceMs` at a time and takes at
 * most `share` of its time: call `await pacer.turn()` between small steps. While the current run
 * is shorter than `sliceMs` the work goes on at once (no event-loop turn); past it, the work rests
 * long enough for its share (requests, /healthz, timers run meanwhile). Every background task of
 * one kind shares one pacer, so together they stay within the share.
 *
 * @example
 * const pacer = new Pacer(0.25, 5);
 * for (const doc of docs) { index.add(doc); await pacer.turn(); } // ≤ 5 ms runs, ≤ 25 % of the time
 */
export class Pacer {
  private runStart = -Infinity;
  private lastTurn = -Infinity;
  /** Milliseconds of work and of rest so far (for tests and reports). */
  readonly stats = { workedMs: 0, restedMs: 0, rests: 0 };

  constructor(
    private readonly share: number,
    private readonly sliceMs: number,
  ) {}

  async turn(): Promise<void> {
    const now = performance.now();
    if (now - this.lastTurn > PACER_IDLE_GAP_MS) this.runStart = now;
    this.lastTurn = now;
    const worked = now - this.runStart;
    if (worked < this.sliceMs) return;
    const rest = Math.max(1, (worked * (1 - this.share)) / this.share);
    this.stats.workedMs += worked;
    this.stats.restedMs += rest;
    this.stats.rests++;
    await sleep(rest);
    this.runStart = this.lastTurn = performance.now();
  }
}

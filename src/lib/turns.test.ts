import { describe, expect, it } from 'vitest';
import { Pacer } from './turns.js';

/** Busy-wait: a step of background work that takes `ms` of the event loop. */
function work(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('Pacer', () => {
  it('keeps background work to its share of the time, in runs of at most the slice', async () => {
    const pacer = new Pacer(0.25, 5);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const t0 = performance.now();
    for (let i = 0; i < 400; i++) {
      work(0.5);
      await pacer.turn();
    }
    const elapsed = performance.now() - t0;
    clearInterval(ticker);
    // 200 ms of work at a quarter of the time takes about 800 ms, and timers ran in between.
    expect(elapsed).toBeGreaterThan(700);
    expect(pacer.stats.workedMs).toBeGreaterThanOrEqual(195);
    expect(pacer.stats.restedMs / (pacer.stats.workedMs + pacer.stats.restedMs)).toBeGreaterThanOrEqual(0.74);
    expect(ticks).toBeGreaterThan(100);
    // Runs of about one slice (5 ms) and a step, on average; measured in wall time, so they stretch
    // to ~10 ms when other test files share the two cores. Unpaced, it is one run of 200 ms.
    expect(pacer.stats.workedMs / pacer.stats.rests).toBeLessThan(20);
  });

  it('does not charge a pause in the work to the next run', async () => {
    const pacer = new Pacer(0.25, 5);
    work(3);
    await pacer.turn();
    await new Promise((r) => setTimeout(r, 150)); // the work stopped: nothing to make up for
    const t0 = performance.now();
    await pacer.turn();
    expect(performance.now() - t0).toBeLessThan(5);
    expect(pacer.stats.rests).toBe(0);
  });
});
